/** The coordinator's screening page: the referral's few facts, approve (with a need) or decline (with a reason). */
import { html } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, type StepPage } from '../../web/pages/step-page';

export const screeningPage: StepPage = ({ view, action, top, errors }) => {
  const { referral } = view;
  return page({
    title: 'Bedöm anmälan',
    body: html`<h1>Bedöm anmälan ${referral.referralId}</h1>
      ${top}
      <table>
        <tbody>
          <tr>
            <th scope="row">Stadsdelsområde</th>
            <td>${referral.district}</td>
          </tr>
          <tr>
            <th scope="row">Barnets förnamn</th>
            <td>
              ${referral.child.protectedIdentity ? 'Skyddade personuppgifter' : referral.child.firstName}
            </td>
          </tr>
          <tr>
            <th scope="row">Ålder</th>
            <td>${referral.child.ageAtReferral} år (åldersgrupp ${referral.child.ageBand})</td>
          </tr>
          <tr>
            <th scope="row">Anmäld av</th>
            <td>${referral.socialWorker.name}</td>
          </tr>
        </tbody>
      </table>
      <p class="hint">${CONFIRM_HINT.sv}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="approve" />
        <p>
          <input type="checkbox" id="noWeekdays" name="noWeekdays" value="on" />
          <label class="inline" for="noWeekdays">Barnet kan inte delta vardagar: behöver stödhelg</label>
        </p>
        <button type="submit">Godkänn anmälan</button>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="decline" />
        <label for="reason">Skäl till avslag</label>
        <p class="hint" id="reason-hint">
          Skälet mejlas inte: socialsekreteraren läser det efter inloggning. Skriv inte personnummer, adress
          eller placeringsuppgifter.
        </p>
        ${errors.reason ? html`<p class="field-error" id="reason-error">${errors.reason}</p>` : ''}
        <textarea
          id="reason"
          name="reason"
          rows="3"
          aria-describedby="reason-hint${errors.reason ? ' reason-error' : ''}"
          ${errors.reason ? html`aria-invalid="true"` : ''}
        ></textarea>
        <button type="submit" class="secondary">Avslå anmälan</button>
      </form>`,
  });
};
