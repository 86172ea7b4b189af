/**
 * The social worker's answer page of an information request: what Bris asks for (the list's words and the
 * coordinator's note), a text to answer with, or "I cannot add more". Signed in from the staff inbox after
 * the request was escalated, the coordinator sees the same request and may screen without the answer.
 * Also the history of a referral's requests, which the screening page shows. Swedish or English, as the
 * reader's (a link's recipient, or a signed-in staff member who chose English).
 */
import { stockholmDateOf } from '../../domain/stockholm-dates';
import {
  informationItemWords,
  latestInformationRequest,
  type InformationRequest,
  type InformationRequestOutcome,
} from '../../domain/information-request';
import type { Language, Referral } from '../../domain/referral';
import { html, type SafeHtml } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, fieldError, type StepPage } from '../../web/pages/step-page';

const day = (iso: string) => stockholmDateOf(iso)!;

const SV = {
  history: 'Begärd komplettering',
  request: (n: number, at: string) => `Begäran ${n}, ${at}`,
  asked: 'Efterfrågat:',
  note: 'Samordnarens kommentar:',
  waiting: 'Väntar på svar.',
  outcomes: {
    answered: 'Socialsekreteraren svarade',
    'cannot-add': 'Socialsekreteraren svarade att det inte går att komplettera mer',
    'no-answer': 'Inget svar kom inom tidsfristen',
    'screened-without': 'Samordnaren valde att bedöma utan svar',
  } as Record<InformationRequestOutcome, string>,
  protectedIdentity: 'Skyddade personuppgifter',
  facts: (id: string, child: string, age: number, district: string) =>
    `Ärende ${id}, ${child}, ${age} år, ${district}.`,
  sent: (at: string) => `Begäran skickades ${at}.`,
  overdueTitle: 'Komplettering saknas',
  overdueHeading: (id: string) => `Komplettering saknas för ${id}`,
  overdue: 'Socialsekreteraren har inte svarat, trots påminnelser.',
  screenNowHint: 'Begäran avslutas, och du får anmälan att bedöma igen: i ett mejl och under Mina uppgifter.',
  screenNow: 'Bedöm anmälan med de uppgifter som finns',
  title: 'Komplettera anmälan',
  heading: (id: string) => `Komplettera anmälan ${id}`,
  intro: 'Bris samordnare behöver fler uppgifter innan anmälan kan bedömas.',
  answer: 'Din komplettering',
  answerHint:
    'Svaret mejlas inte: Bris samordnare läser det efter inloggning. Skriv inte personnummer eller adresser.',
  send: 'Skicka kompletteringen',
  cannotAdd: 'Jag kan inte komplettera mer',
};

const EN: typeof SV = {
  history: 'Information requested',
  request: (n: number, at: string) => `Request ${n}, ${at}`,
  asked: 'Asked for:',
  note: "The coordinator's note:",
  waiting: 'Waiting for an answer.',
  outcomes: {
    answered: 'The social worker answered',
    'cannot-add': 'The social worker answered that nothing more can be added',
    'no-answer': 'No answer came in time',
    'screened-without': 'The coordinator chose to screen without an answer',
  },
  protectedIdentity: 'Protected identity',
  facts: (id: string, child: string, age: number, district: string) =>
    `Referral ${id}, ${child}, ${age} years, ${district}.`,
  sent: (at: string) => `The request was sent on ${at}.`,
  overdueTitle: 'Information missing',
  overdueHeading: (id: string) => `Information missing for ${id}`,
  overdue: 'The social worker has not answered, despite reminders.',
  screenNowHint:
    'The request ends, and you are asked to screen the referral again: by email and under My tasks.',
  screenNow: 'Screen the referral as it stands',
  title: 'Add information to the referral',
  heading: (id: string) => `Add information to referral ${id}`,
  intro: "Bris's coordinator needs more information before the referral can be screened.",
  answer: 'Your information',
  answerHint:
    "The answer is not emailed: Bris's coordinator reads it after signing in. Do not write identity numbers or addresses.",
  send: 'Send the information',
  cannotAdd: 'I cannot add more',
};

const TEXTS: Record<Language, typeof SV> = { sv: SV, en: EN };

function asked(request: InformationRequest, lang: Language): SafeHtml {
  const t = TEXTS[lang];
  return html`<p>${t.asked}</p>
    <ul>
      ${informationItemWords(request.items, lang).map((w) => html`<li>${w}</li>`)}
    </ul>
    ${
      request.note
        ? html`<p>${t.note}</p>
            <blockquote><p>${request.note}</p></blockquote>`
        : ''
    }`;
}

/** Every request of the referral: what was asked, and how it ended (the answer's text where there is one). */
export function informationRequestsSection(
  referral: Pick<Referral, 'informationRequests'>,
  lang: Language = 'sv',
): SafeHtml {
  const t = TEXTS[lang];
  const requests = referral.informationRequests ?? [];
  if (!requests.length) return html``;
  return html`<h2>${t.history}</h2>
    ${requests.map(
      (r) =>
        html`<section aria-labelledby="request-${r.number}">
          <h3 id="request-${r.number}">${t.request(r.number, day(r.requestedAt))}</h3>
          ${asked(r, lang)}
          <p>
            ${r.outcome ? `${t.outcomes[r.outcome]}${r.closedAt ? `, ${day(r.closedAt)}` : ''}.` : t.waiting}
          </p>
          ${r.answer ? html`<blockquote><p>${r.answer}</p></blockquote>` : ''}
        </section>`,
    )}`;
}

export const informationRequestPage: StepPage = ({ view, action, top, errors, lang }) => {
  const t = TEXTS[lang];
  const { referral, link } = view;
  const request = latestInformationRequest(referral);
  const child = referral.child.protectedIdentity ? t.protectedIdentity : referral.child.firstName;
  const facts = html`<p>
      ${t.facts(referral.referralId, child, referral.child.ageAtReferral, referral.district)}
      ${request ? t.sent(day(request.requestedAt)) : ''}
    </p>
    ${request ? asked(request, lang) : ''}`;
  if (link.recipient.role === 'coordinator')
    return page({
      title: t.overdueTitle,
      lang,
      body: html`<h1>${t.overdueHeading(referral.referralId)}</h1>
        ${top} ${facts}
        <p>${t.overdue}</p>
        <p class="hint">${CONFIRM_HINT[lang]}</p>
        <form method="post" action="${action}">
          <input type="hidden" name="action" value="screen-now" />
          <p class="hint" id="screen-now-hint">${t.screenNowHint}</p>
          <button type="submit" aria-describedby="screen-now-hint">${t.screenNow}</button>
        </form>`,
    });
  return page({
    title: t.title,
    lang,
    body: html`<h1>${t.heading(referral.referralId)}</h1>
      ${top}
      <p>${t.intro}</p>
      ${facts}
      <p class="hint">${CONFIRM_HINT[lang]}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="add-information" />
        <label for="answer">${t.answer}</label>
        <p class="hint" id="answer-hint">${t.answerHint}</p>
        ${fieldError(errors, 'answer')}
        <textarea
          id="answer"
          name="answer"
          rows="6"
          aria-describedby="answer-hint${errors.answer ? ' answer-error' : ''}"
          ${errors.answer ? html`aria-invalid="true"` : ''}
        ></textarea>
        <button type="submit">${t.send}</button>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="cannot-add" />
        <button type="submit" class="secondary">${t.cannotAdd}</button>
      </form>`,
  });
};
