/** Pages behind capability links. The language follows the recipient (custodians may choose English). */
import { errorsInLanguage } from '../../domain/messages';
import type { Language } from '../../domain/referral';
import type { LinkRecord } from '../../ports';
import { linkFormAction } from '../link-form-action';
import type { LinkView, RedeemResult } from '../../phases/links/link-engine';
import { html, type SafeHtml } from '../html';
import { page } from '../layout';

const T = {
  sv: {
    unknownTitle: 'Länken fungerar inte',
    unknown:
      'Länken finns inte. Kontrollera att hela adressen kom med från mejlet, eller kontakta den som skickade det.',
    usedTitle: 'Länken är redan använd',
    used: 'Den här länken har redan använts och kan bara användas en gång. Ingenting har ändrats nu.',
    expiredTitle: 'Länken har gått ut',
    expired: 'Länken gäller inte längre. Du kan få en ny länk till samma e-postadress som förut.',
    expiredFinal: 'Länken gäller inte längre, och tiden för det den gällde har gått ut.',
    renew: 'Skicka en ny länk',
    renewedTitle: 'En ny länk är skickad',
    renewed:
      'Vi har skickat en ny länk till samma e-postadress som tidigare. Den gamla länken fungerar inte längre.',
    supersededTitle: 'Det finns en nyare länk',
    superseded: 'En nyare länk har skickats för samma steg. Använd länken i det senaste mejlet.',
    closedTitle: 'Steget är inte längre öppet',
    closed:
      'Det här steget behöver inte längre något svar, till exempel för att ärendet har gått vidare eller avslutats.',
    doneTitle: 'Tack, ditt svar är registrerat',
    invalid: 'Svaret kunde inte registreras',
    fix: 'Rätta följande:',
    groupFull: 'Gruppen hann bli full. Välj en annan grupp.',
    confirmHint: 'Ingenting händer förrän du trycker på en knapp.',
    tryAgainTitle: 'Försök igen om en liten stund',
    tryAgain:
      'Svaret kunde inte tas emot just nu. Ingenting har ändrats. Ladda om sidan om en minut och svara igen.',
  },
  en: {
    unknownTitle: 'The link does not work',
    unknown:
      'This link does not exist. Check that the whole address was copied from the email, or contact the sender.',
    usedTitle: 'The link has already been used',
    used: 'This link has already been used and works only once. Nothing was changed now.',
    expiredTitle: 'The link has expired',
    expired: 'This link is no longer valid. You can get a new link sent to the same email address as before.',
    expiredFinal: 'This link is no longer valid, and the time for what it was for has passed.',
    renew: 'Send me a new link',
    renewedTitle: 'A new link has been sent',
    renewed: 'We have sent a new link to the same email address as before. The old link no longer works.',
    supersededTitle: 'There is a newer link',
    superseded: 'A newer link has been sent for the same step. Please use the link in the latest email.',
    closedTitle: 'This step is no longer open',
    closed:
      'This step no longer needs an answer, for example because the referral has moved on or been closed.',
    doneTitle: 'Thank you, your answer has been recorded',
    invalid: 'Your answer could not be recorded',
    fix: 'Please correct the following:',
    groupFull: 'That group has just become full. Please choose another group.',
    confirmHint: 'Nothing happens until you press a button.',
    tryAgainTitle: 'Please try again in a moment',
    tryAgain:
      'Your answer could not be received just now. Nothing was changed. Reload the page in a minute and answer again.',
  },
} as const;

/** The language the recipient has, stored with the referral (the social worker chose it). */
function recipientLanguage(link?: LinkRecord): Language | undefined {
  return link ? (link.recipient.language === 'en' ? 'en' : 'sv') : undefined;
}

/**
 * The page's language from the request's rule (web/language.ts), which puts the person's own choice
 * (`?lang=`, her cookie) before the recipient's stored language; without a request, the recipient's.
 */
export type ChooseLanguage = (recipient: Language | undefined) => Language;
const recipientsOwn: ChooseLanguage = (recipient) => recipient ?? 'sv';

function simple(lang: Language, title: string, text: string, extra: SafeHtml = html``): string {
  return page({
    title,
    lang,
    body: html`<h1>${title}</h1>
      <p>${text}</p>
      ${extra}`,
  });
}

function errorList(lang: Language, errors: Record<string, string>): SafeHtml {
  return html`<div class="error-summary" role="alert" tabindex="-1">
    <h2>${T[lang].invalid}</h2>
    <p>${T[lang].fix}</p>
    <ul>
      ${Object.entries(errors).map(([f, m]) => (f === '_form' || f === 'action' ? html`<li>${m}</li>` : html`<li><a href="#${f}">${m}</a></li>`))}
    </ul>
  </div>`;
}

/** An open link's page: its purpose's module's page, as the engine found it; silent waits have none. */
function stepForm(
  token: string,
  view: Extract<LinkView, { kind: 'open' }>,
  lang: Language,
  given: Record<string, string> = {},
  notice?: string,
): string {
  const errors = errorsInLanguage(given, lang);
  const top = html`${notice ? html`<div class="error-summary" role="alert"><p>${notice}</p></div>` : ''}${Object.keys(errors).length ? errorList(lang, errors) : ''}`;
  const render = view.page;
  if (!render) return simple(lang, T[lang].closedTitle, T[lang].closed);
  return render({ view, action: linkFormAction(token, view.link), top, errors, lang });
}

const DONE_TEXT_ANSWER = { sv: 'Tack för dina svar!', en: 'Thank you for your answers!' };
/** A social worker's record of a custodian's paper consent. */
const DONE_ON_BEHALF = {
  sv: 'Vårdnadshavarens svar är registrerat med hänvisning till blanketten.',
  en: "The custodian's answer is recorded with a reference to the form.",
};

/** What a person is told after answering, by the answer's action. */
const DONE_TEXT: Record<string, { sv: string; en: string }> = {
  'visit-done': {
    sv: 'Hembesöket är registrerat och barnets plats i gruppen är bekräftad. Familjehemmet får gruppens schema.',
    en: "The home visit is recorded and the child's seat in the group is confirmed. The family home gets the group's schedule.",
  },
  'family-declined': {
    sv: 'Registrerat: familjen tackade nej. Platsen går till nästa barn som väntar, och socialsekreteraren får besked.',
    en: 'Recorded: the family declined. The seat goes to the next child waiting, and the social worker is told.',
  },
  'offer-times': {
    sv: 'Tiderna är skickade till familjehemmet. Du får ett mejl när familjen har valt.',
    en: 'The times have been sent to the family home. You get an email when the family has chosen.',
  },
  'choose-time': {
    sv: 'Tack! Gruppledaren får veta vilken tid ni valde och kommer då.',
    en: 'Thank you! The group leader is told the time you chose and comes then.',
  },
  'other-times': {
    sv: 'Tack! Gruppledaren får veta att ni behöver andra tider och skickar nya.',
    en: 'Thank you! The group leader is told you need other times and sends new ones.',
  },
  approve: {
    sv: 'Anmälan är godkänd. Vårdnadshavaren tillfrågas nu om samtycke.',
    en: 'The referral is approved. The custodians are now asked for consent.',
  },
  decline: {
    sv: 'Anmälan är avslagen. Socialsekreteraren får besked och läser ditt skäl efter inloggning.',
    en: 'The referral is declined. The social worker is told and reads your reason after signing in.',
  },
  'request-information': {
    sv: 'Kompletteringen är begärd. Socialsekreteraren får ett mejl, och du får anmälan att bedöma igen när svaret har kommit.',
    en: 'More information has been requested. The social worker gets an email, and you are asked to screen the referral again when the answer has come.',
  },
  'cannot-add': {
    sv: 'Ditt svar är skickat. Bris samordnare bedömer anmälan med de uppgifter som finns.',
    en: "Your answer has been sent. Bris's coordinator screens the referral as it stands.",
  },
  'screen-now': {
    sv: 'Begäran om komplettering är avslutad. Du får anmälan att bedöma igen, i ett mejl och under Mina uppgifter.',
    en: 'The information request has ended. You are asked to screen the referral again, by email and under My tasks.',
  },
  consent: {
    sv: 'Tack! Du har samtyckt till att barnet deltar i stödgruppen.',
    en: 'Thank you! You have consented to the child taking part in the support group.',
  },
  refuse: {
    sv: 'Du har svarat att du inte samtycker. Socialsekreteraren får besked.',
    en: 'You have answered that you do not consent. The social worker will be told.',
  },
  extend: {
    sv: 'Tidsgränsen är förlängd. Vårdnadshavarna som inte svarat får en ny förfrågan.',
    en: 'The deadline has been extended. The custodians who have not answered get a new request.',
  },
  'committee-decision': {
    sv: 'Socialnämndens beslut är registrerat som rättslig grund. Barnet väntar nu på en grupp.',
    en: "The Social Welfare Committee's decision is recorded as the legal basis. The child now waits for a group.",
  },
  close: {
    sv: 'Anmälan avslutas. Du får ett mejl när den är stängd.',
    en: 'The referral will be closed. You get an email when it is closed.',
  },
  answer: DONE_TEXT_ANSWER,
  // The social worker's answer to an information request.
  'add-information': {
    sv: 'Tack, kompletteringen är skickad. Bris samordnare bedömer nu anmälan igen.',
    en: "Thank you, the information has been sent. Bris's coordinator now screens the referral again.",
  },
  withdraw: {
    sv: 'Anmälan är återkallad. Bris och socialsekreteraren får besked.',
    en: 'The referral has been withdrawn. Bris and the social worker will be told.',
  },
};

export function linkPage(
  token: string,
  result: RedeemResult | LinkView | { kind: 'renewed'; link: LinkRecord },
  choose: ChooseLanguage = recipientsOwn,
): { status: number; body: string } {
  const lang = choose(recipientLanguage('link' in result ? result.link : undefined));
  const t = T[lang];
  switch (result.kind) {
    case 'unknown':
      return { status: 404, body: simple(lang, t.unknownTitle, t.unknown) };
    case 'used':
      return { status: 409, body: simple(lang, t.usedTitle, t.used) };
    case 'superseded':
      return { status: 410, body: simple(lang, t.supersededTitle, t.superseded) };
    case 'closed':
    case 'no-longer-open':
      return { status: 410, body: simple(lang, t.closedTitle, t.closed) };
    case 'expired':
      return {
        status: 410,
        body: result.renewable
          ? simple(
              lang,
              t.expiredTitle,
              t.expired,
              html`<form method="post" action="/links/${token}/renew">
                <button type="submit">${t.renew}</button>
              </form>`,
            )
          : simple(lang, t.expiredTitle, t.expiredFinal),
      };
    case 'renewed':
      return { status: 200, body: simple(lang, t.renewedTitle, t.renewed) };
    case 'try-again':
      return { status: 503, body: simple(lang, t.tryAgainTitle, t.tryAgain) };
    case 'open':
      return { status: 200, body: stepForm(token, result, lang) };
    case 'invalid':
      return { status: 400, body: stepForm(token, { ...result, kind: 'open' }, lang, result.errors) };
    case 'own':
      return result.render(token, lang);
    case 'done': {
      // A custodian's answer the social worker recorded from a signed paper form.
      const onBehalf = typeof result.action.paperReference === 'string';
      const text = (onBehalf ? DONE_ON_BEHALF : (DONE_TEXT[result.action.action] ?? DONE_TEXT_ANSWER))[lang];
      return { status: 200, body: simple(lang, t.doneTitle, text) };
    }
  }
}
