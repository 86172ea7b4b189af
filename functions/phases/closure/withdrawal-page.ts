/** Withdrawing the referral, from a custodian's or the social worker's withdrawal link. */
import type { StepPage } from '../../kernel/human-step';
import { html } from '../../web/html';
import { page } from '../../web/layout';

export const withdrawalPage: StepPage = ({ action, top, errors, lang }) => {
  const en = lang === 'en';
  return page({
    title: en ? 'Withdraw the referral' : 'Återkalla anmälan',
    lang,
    body: html`<h1>${en ? 'Withdraw the referral' : 'Återkalla anmälan'}</h1>
      ${top}
      <p>
        ${en ? 'If you withdraw, the child will not take part in the support group, everything that is under way stops, and Bris and the social worker are told.' : 'Om anmälan återkallas deltar barnet inte i stödgruppen, allt som pågår stoppas och Bris och socialsekreteraren får besked.'}
      </p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="withdraw" />
        <label for="reason">${en ? 'Why is the referral withdrawn?' : 'Varför återkallas anmälan?'}</label>
        <p class="hint" id="reason-hint">
          ${en ? 'The reason is not emailed: Bris and the social worker read it after signing in. Do not write identity numbers or addresses.' : 'Skälet mejlas inte: Bris och socialsekreteraren läser det när de har loggat in. Skriv inte personnummer eller adresser.'}
        </p>
        ${errors.reason ? html`<p class="field-error" id="reason-error">${errors.reason}</p>` : ''}
        <textarea
          id="reason"
          name="reason"
          rows="3"
          required
          aria-describedby="reason-hint${errors.reason ? ' reason-error' : ''}"
          ${errors.reason ? html`aria-invalid="true"` : ''}
        ></textarea>
        <button type="submit">${en ? 'Withdraw the referral' : 'Återkalla anmälan'}</button>
      </form>`,
  });
};
