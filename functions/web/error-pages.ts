/**
 * The pages a person sees when a request cannot be answered: the site's layout, her language, what went
 * wrong in plain words (nothing technical), what to do, and a way back. The same pages come from the
 * Lambda HTTP wiring (shared/http-handler.ts) and from the local server's own answers.
 */
import type { Language } from '../domain/referral';
import { html } from './html';
import { page } from './layout';

export interface ProblemText {
  title: string;
  text: string;
}

/** A problem in both languages; the English is a type error to leave out. */
export type BilingualProblem = Record<Language, ProblemText>;

export const MAX_TARGET_LENGTH = 2048;

const SV = {
  400: {
    title: 'Adressen är felaktig',
    text: 'Adressen innehåller tecken som inte går att läsa. Öppna länken från mejlet igen, eller kopiera hela adressen en gång till.',
  },
  403: {
    title: 'Formuläret kom från en annan webbplats',
    text: 'Av säkerhetsskäl tar vi bara emot formulär som skickas från tjänstens egna sidor. Öppna sidan här och försök igen.',
  },
  404: {
    title: 'Sidan finns inte',
    text: 'Adressen finns inte. Kontrollera att du har kopierat hela länken från mejlet, eller börja om från startsidan.',
  },
  405: {
    title: 'Det går inte att göra så här',
    text: 'Sidan finns, men inte för den här sortens anrop. Öppna sidan i webbläsaren och använd knapparna där.',
  },
  413: {
    title: 'För mycket data',
    text: 'Formuläret innehöll för mycket text. Korta texten och försök igen.',
  },
  414: {
    title: 'Adressen är för lång',
    text: `Adressen är längre än ${MAX_TARGET_LENGTH} tecken och kan inte vara en av våra. Öppna länken från mejlet igen.`,
  },
  415: {
    title: 'Formuläret kom i fel format',
    text: 'Tjänsten tar bara emot formulär som skickas från sina egna sidor. Skicka formuläret från sidan igen.',
  },
  431: {
    title: 'För mycket data i anropet',
    text: 'Anropet hade för stora rubriker, till exempel för många kakor. Rensa kakorna för webbplatsen och försök igen.',
  },
  500: {
    title: 'Något gick fel',
    text: 'Det gick inte att slutföra just nu. Försök igen om en stund. Om du skickade en anmälan: skicka samma formulär igen, den registreras inte två gånger.',
  },
  503: {
    title: 'Tjänsten är inte öppen',
    text: 'Tjänsten tar inte emot anmälningar just nu. Försök igen senare.',
  },
} satisfies Record<number, ProblemText>;

export type ProblemStatus = keyof typeof SV;

const EN: typeof SV = {
  400: {
    title: 'The address is not valid',
    text: 'The address contains characters that cannot be read. Open the link from the email again, or copy the whole address once more.',
  },
  403: {
    title: 'The form came from another website',
    text: "For security, we only accept forms sent from this service's own pages. Open the page here and try again.",
  },
  404: {
    title: 'Page not found',
    text: 'There is no page at this address. Check that you copied the whole link from the email, or start again from the start page.',
  },
  405: {
    title: 'This cannot be done here',
    text: 'The page exists, but not for this kind of request. Open the page in your browser and use its buttons.',
  },
  413: {
    title: 'Too much data',
    text: 'The form contained too much text. Shorten the text and try again.',
  },
  414: {
    title: 'The address is too long',
    text: `The address is longer than ${MAX_TARGET_LENGTH} characters and cannot be one of ours. Open the link from the email again.`,
  },
  415: {
    title: 'The form came in the wrong format',
    text: 'The service only accepts forms sent from its own pages. Send the form from the page again.',
  },
  431: {
    title: 'Too much data in the request',
    text: 'The request had too large headers, for example too many cookies. Clear the cookies for this website and try again.',
  },
  500: {
    title: 'Something went wrong',
    text: 'This could not be completed just now. Please try again in a while. If you sent a referral: send the same form again, it will not be registered twice.',
  },
  503: {
    title: 'The service is not open',
    text: 'The service does not take referrals just now. Please try again later.',
  },
};

export const PROBLEMS: Record<Language, typeof SV> = { sv: SV, en: EN };

/** A problem of the catalogue, in both languages. */
export const problemOf = (status: ProblemStatus): BilingualProblem => ({ sv: SV[status], en: EN[status] });

const BACK: Record<Language, string> = { sv: 'Till startsidan', en: 'Go to the start page' };

/** A problem's page in `lang`. */
export function errorPage(problem: ProblemText, lang: Language): string {
  return page({
    title: problem.title,
    lang,
    body: html`<h1>${problem.title}</h1>
      <p>${problem.text}</p>
      <p><a href="/">${BACK[lang]}</a></p>`,
  });
}

/** A problem of the catalogue as its page. */
export const problemPage = (status: ProblemStatus, lang: Language): string =>
  errorPage(PROBLEMS[lang][status], lang);
