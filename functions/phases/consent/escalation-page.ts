/** The social worker's choice when consent is missing at the deadline. */
import type { Language } from '../../domain/referral';
import { html } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, type StepPage } from '../../web/pages/step-page';

const SV = {
  title: 'Samtycke saknas',
  heading: (id: string) => `Samtycke saknas för ${id}`,
  silent: 'Följande vårdnadshavare har inte svarat före tidsgränsen, trots påminnelser:',
  extend: 'Förläng tidsgränsen och fråga igen',
  committee: 'Socialnämndens beslut (Föräldrabalken 6 kap. 13 a §)',
  decisionDate: 'Beslutsdatum',
  dateFormat: 'ÅÅÅÅ-MM-DD',
  caseReference: 'Diarienummer',
  recordDecision: 'Registrera beslutet och gå vidare',
  close: 'Avsluta anmälan',
};

const EN: typeof SV = {
  title: 'Consent missing',
  heading: (id: string) => `Consent missing for ${id}`,
  silent: 'These custodians have not answered before the deadline, despite reminders:',
  extend: 'Extend the deadline and ask again',
  committee: "The Social Welfare Committee's decision (Föräldrabalken 6 kap. 13 a §)",
  decisionDate: 'Date of the decision',
  dateFormat: 'YYYY-MM-DD',
  caseReference: 'Case number',
  recordDecision: 'Record the decision and go on',
  close: 'Close the referral',
};

const TEXTS: Record<Language, typeof SV> = { sv: SV, en: EN };

export const escalationPage: StepPage = ({ view, action, top, errors, lang }) => {
  const { referral } = view;
  const t = TEXTS[lang];
  const missing = referral.custodians.filter((c) => !c.consent);
  return page({
    title: t.title,
    lang,
    body: html`<h1>${t.heading(referral.referralId)}</h1>
      ${top}
      <p>${t.silent} ${missing.map((c) => `${c.number}: ${c.name}`).join(', ')}.</p>
      <p class="hint">${CONFIRM_HINT[lang]}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="extend" />
        <button type="submit">${t.extend}</button>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="committee-decision" />
        <fieldset>
          <legend>${t.committee}</legend>
          <label for="decisionDate">${t.decisionDate}</label>
          <p class="hint" id="decisionDate-hint">${t.dateFormat}</p>
          ${errors.decisionDate ? html`<p class="field-error" id="decisionDate-error">${errors.decisionDate}</p>` : ''}
          <input
            type="text"
            id="decisionDate"
            name="decisionDate"
            required
            aria-describedby="decisionDate-hint${errors.decisionDate ? ' decisionDate-error' : ''}"
            ${errors.decisionDate ? html`aria-invalid="true"` : ''}
          />
          <label for="caseReference">${t.caseReference}</label>
          ${errors.caseReference ? html`<p class="field-error" id="caseReference-error">${errors.caseReference}</p>` : ''}
          <input
            type="text"
            id="caseReference"
            name="caseReference"
            required
            ${errors.caseReference ? html`aria-invalid="true" aria-describedby="caseReference-error"` : ''}
          />
          <button type="submit">${t.recordDecision}</button>
        </fieldset>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="close" />
        <button type="submit" class="secondary">${t.close}</button>
      </form>`,
  });
};
