/** The coordinator's screening page: the referral's few facts, approve (with a need) or decline (with a reason). */
import type { Language } from '../../domain/referral';
import { html } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, type StepPage } from '../../web/pages/step-page';

const SV = {
  title: 'Bedöm anmälan',
  heading: (id: string) => `Bedöm anmälan ${id}`,
  district: 'Stadsdelsområde',
  firstName: 'Barnets förnamn',
  protectedIdentity: 'Skyddade personuppgifter',
  age: 'Ålder',
  ageText: (age: number, band: string) => `${age} år (åldersgrupp ${band})`,
  referredBy: 'Anmäld av',
  noWeekdays: 'Barnet kan inte delta vardagar: behöver stödhelg',
  approve: 'Godkänn anmälan',
  reason: 'Skäl till avslag',
  reasonHint:
    'Skälet mejlas inte: socialsekreteraren läser det efter inloggning. Skriv inte personnummer, adress eller placeringsuppgifter.',
  decline: 'Avslå anmälan',
};

const EN: typeof SV = {
  title: 'Screen the referral',
  heading: (id: string) => `Screen the referral ${id}`,
  district: 'City district',
  firstName: "The child's first name",
  protectedIdentity: 'Protected identity',
  age: 'Age',
  ageText: (age: number, band: string) => `${age} years (age band ${band})`,
  referredBy: 'Referred by',
  noWeekdays: 'The child cannot take part on weekdays: needs a support weekend',
  approve: 'Approve the referral',
  reason: 'Reason for declining',
  reasonHint:
    'The reason is not emailed: the social worker reads it after signing in. Do not write identity numbers, addresses or placement details.',
  decline: 'Decline the referral',
};

const TEXTS: Record<Language, typeof SV> = { sv: SV, en: EN };

export const screeningPage: StepPage = ({ view, action, top, errors, lang }) => {
  const { referral } = view;
  const t = TEXTS[lang];
  return page({
    title: t.title,
    lang,
    body: html`<h1>${t.heading(referral.referralId)}</h1>
      ${top}
      <table>
        <tbody>
          <tr>
            <th scope="row">${t.district}</th>
            <td>${referral.district}</td>
          </tr>
          <tr>
            <th scope="row">${t.firstName}</th>
            <td>${referral.child.protectedIdentity ? t.protectedIdentity : referral.child.firstName}</td>
          </tr>
          <tr>
            <th scope="row">${t.age}</th>
            <td>${t.ageText(referral.child.ageAtReferral, referral.child.ageBand)}</td>
          </tr>
          <tr>
            <th scope="row">${t.referredBy}</th>
            <td>${referral.socialWorker.name}</td>
          </tr>
        </tbody>
      </table>
      <p class="hint">${CONFIRM_HINT[lang]}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="approve" />
        <p>
          <input type="checkbox" id="noWeekdays" name="noWeekdays" value="on" />
          <label class="inline" for="noWeekdays">${t.noWeekdays}</label>
        </p>
        <button type="submit">${t.approve}</button>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="decline" />
        <label for="reason">${t.reason}</label>
        <p class="hint" id="reason-hint">${t.reasonHint}</p>
        ${errors.reason ? html`<p class="field-error" id="reason-error">${errors.reason}</p>` : ''}
        <textarea
          id="reason"
          name="reason"
          rows="3"
          aria-describedby="reason-hint${errors.reason ? ' reason-error' : ''}"
          ${errors.reason ? html`aria-invalid="true"` : ''}
        ></textarea>
        <button type="submit" class="secondary">${t.decline}</button>
      </form>`,
  });
};
