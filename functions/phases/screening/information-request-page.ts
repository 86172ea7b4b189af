/**
 * The social worker's answer page of an information request: what Bris asks for (the list's words and the
 * coordinator's note), a text to answer with, or "I cannot add more". Signed in from the staff inbox after
 * the request was escalated, the coordinator sees the same request and may screen without the answer.
 * Also the history of a referral's requests, which the screening page shows.
 */
import { DateTime } from 'luxon';
import {
  informationItemWords,
  latestInformationRequest,
  type InformationRequest,
  type InformationRequestOutcome,
} from '../../domain/information-request';
import type { Referral } from '../../domain/referral';
import { html, type SafeHtml } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, fieldError, type StepPage } from '../../web/pages/step-page';

const day = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Stockholm' }).toFormat('yyyy-LL-dd');

const OUTCOME_WORDS: Record<InformationRequestOutcome, string> = {
  answered: 'Socialsekreteraren svarade',
  'cannot-add': 'Socialsekreteraren svarade att det inte går att komplettera mer',
  'no-answer': 'Inget svar kom inom tidsfristen',
  'screened-without': 'Samordnaren valde att bedöma utan svar',
};

function asked(request: InformationRequest): SafeHtml {
  return html`<p>Efterfrågat:</p>
    <ul>
      ${informationItemWords(request.items, 'sv').map((w) => html`<li>${w}</li>`)}
    </ul>
    ${
      request.note
        ? html`<p>Samordnarens kommentar:</p>
            <blockquote><p>${request.note}</p></blockquote>`
        : ''
    }`;
}

/** Every request of the referral: what was asked, and how it ended (the answer's text where there is one). */
export function informationRequestsSection(referral: Pick<Referral, 'informationRequests'>): SafeHtml {
  const requests = referral.informationRequests ?? [];
  if (!requests.length) return html``;
  return html`<h2>Begärd komplettering</h2>
    ${requests.map(
      (r) =>
        html`<section aria-labelledby="request-${r.number}">
          <h3 id="request-${r.number}">Begäran ${r.number}, ${day(r.requestedAt)}</h3>
          ${asked(r)}
          <p>
            ${r.outcome ? `${OUTCOME_WORDS[r.outcome]}${r.closedAt ? `, ${day(r.closedAt)}` : ''}.` : 'Väntar på svar.'}
          </p>
          ${r.answer ? html`<blockquote><p>${r.answer}</p></blockquote>` : ''}
        </section>`,
    )}`;
}

export const informationRequestPage: StepPage = ({ view, action, top, errors }) => {
  const { referral, link } = view;
  const request = latestInformationRequest(referral);
  const child = referral.child.protectedIdentity ? 'Skyddade personuppgifter' : referral.child.firstName;
  const facts = html`<p>
      Ärende ${referral.referralId}, ${child}, ${referral.child.ageAtReferral} år, ${referral.district}.
      Begäran skickades ${request ? day(request.requestedAt) : ''}.
    </p>
    ${request ? asked(request) : ''}`;
  if (link.recipient.role === 'coordinator')
    return page({
      title: 'Komplettering saknas',
      body: html`<h1>Komplettering saknas för ${referral.referralId}</h1>
        ${top} ${facts}
        <p>Socialsekreteraren har inte svarat, trots påminnelser.</p>
        <p class="hint">${CONFIRM_HINT.sv}</p>
        <form method="post" action="${action}">
          <input type="hidden" name="action" value="screen-now" />
          <p class="hint" id="screen-now-hint">
            Begäran avslutas, och du får anmälan att bedöma igen: i ett mejl och under Mina uppgifter.
          </p>
          <button type="submit" aria-describedby="screen-now-hint">
            Bedöm anmälan med de uppgifter som finns
          </button>
        </form>`,
    });
  return page({
    title: 'Komplettera anmälan',
    body: html`<h1>Komplettera anmälan ${referral.referralId}</h1>
      ${top}
      <p>Bris samordnare behöver fler uppgifter innan anmälan kan bedömas.</p>
      ${facts}
      <p class="hint">${CONFIRM_HINT.sv}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="answer" />
        <label for="answer">Din komplettering</label>
        <p class="hint" id="answer-hint">
          Svaret mejlas inte: Bris samordnare läser det efter inloggning. Skriv inte personnummer eller
          adresser.
        </p>
        ${fieldError(errors, 'answer')}
        <textarea
          id="answer"
          name="answer"
          rows="6"
          aria-describedby="answer-hint${errors.answer ? ' answer-error' : ''}"
          ${errors.answer ? html`aria-invalid="true"` : ''}
        ></textarea>
        <button type="submit">Skicka kompletteringen</button>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="cannot-add" />
        <button type="submit" class="secondary">Jag kan inte komplettera mer</button>
      </form>`,
  });
};
