/** The social worker's choice when consent is missing at the deadline. */
import { html } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, type StepPage } from '../../web/pages/step-page';

export const escalationPage: StepPage = ({ view, action, top, errors }) => {
  const { referral } = view;
  const missing = referral.custodians.filter((c) => !c.consent);
  return page({
    title: 'Samtycke saknas',
    body: html`<h1>Samtycke saknas för ${referral.referralId}</h1>
      ${top}
      <p>
        Följande vårdnadshavare har inte svarat före tidsgränsen, trots påminnelser:
        ${missing.map((c) => `${c.number}: ${c.name}`).join(', ')}.
      </p>
      <p class="hint">${CONFIRM_HINT.sv}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="extend" />
        <button type="submit">Förläng tidsgränsen och fråga igen</button>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="committee-decision" />
        <fieldset>
          <legend>Socialnämndens beslut (Föräldrabalken 6 kap. 13 a §)</legend>
          <label for="decisionDate">Beslutsdatum</label>
          <p class="hint" id="decisionDate-hint">ÅÅÅÅ-MM-DD</p>
          ${errors.decisionDate ? html`<p class="field-error" id="decisionDate-error">${errors.decisionDate}</p>` : ''}
          <input
            type="text"
            id="decisionDate"
            name="decisionDate"
            required
            aria-describedby="decisionDate-hint${errors.decisionDate ? ' decisionDate-error' : ''}"
            ${errors.decisionDate ? html`aria-invalid="true"` : ''}
          />
          <label for="caseReference">Diarienummer</label>
          ${errors.caseReference ? html`<p class="field-error" id="caseReference-error">${errors.caseReference}</p>` : ''}
          <input
            type="text"
            id="caseReference"
            name="caseReference"
            required
            ${errors.caseReference ? html`aria-invalid="true" aria-describedby="caseReference-error"` : ''}
          />
          <button type="submit">Registrera beslutet och gå vidare</button>
        </fieldset>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="close" />
        <button type="submit" class="secondary">Avsluta anmälan</button>
      </form>`,
  });
};
