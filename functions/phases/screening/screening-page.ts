/**
 * The coordinator's screening page: the referral's few facts, what earlier information requests asked and
 * got, and three choices: approve (with a need), decline (with a reason), or request more information.
 */
import {
  INFORMATION_ITEM_LABELS,
  INFORMATION_ITEMS,
  MAX_INFORMATION_REQUESTS,
} from '../../domain/information-request';
import type { Language } from '../../domain/referral';
import { html } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, fieldError, type StepPage } from '../../web/pages/step-page';
import { informationRequestsSection } from './information-request-page';

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
  requestLegend: 'Begär komplettering från socialsekreteraren',
  requestHint:
    'Kryssa i det som saknas. Socialsekreteraren får ett mejl som nämner det du kryssat i, och du får anmälan att bedöma igen när socialsekreteraren har svarat.',
  note: 'Kommentar till socialsekreteraren (frivillig)',
  noteHint:
    'Kommentaren mejlas inte: socialsekreteraren läser den på sidan som länken i mejlet leder till. Skriv inte personnummer, adress eller placeringsuppgifter.',
  request: 'Begär komplettering',
  requestLimit: (n: number) =>
    `Komplettering har begärts ${n} gånger, vilket är det mesta för en anmälan: godkänn eller avslå med de uppgifter som finns.`,
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
  requestLegend: 'Request more information from the social worker',
  requestHint:
    'Tick what is missing. The social worker gets an email naming what you ticked, and you are asked to screen the referral again when the social worker has answered.',
  note: 'Note to the social worker (optional)',
  noteHint:
    'The note is not emailed: the social worker reads it on the page the link in the email leads to. Do not write identity numbers, addresses or placement details.',
  request: 'Request more information',
  requestLimit: (n: number) =>
    `More information has been requested ${n} times, which is the most for a referral: approve or decline as it stands.`,
};

const TEXTS: Record<Language, typeof SV> = { sv: SV, en: EN };

export const screeningPage: StepPage = ({ view, action, top, errors, lang }) => {
  const { referral } = view;
  const t = TEXTS[lang];
  const asked = referral.informationRequests?.length ?? 0;
  const described = (field: string, hint: string) => `${hint}${errors[field] ? ` ${field}-error` : ''}`;
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
      ${informationRequestsSection(referral, lang)}
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
      </form>
      ${
        asked >= MAX_INFORMATION_REQUESTS
          ? html`<p id="items">${t.requestLimit(asked)}</p>`
          : html`<form method="post" action="${action}">
              <input type="hidden" name="action" value="request-information" />
              <fieldset id="items" aria-describedby="${described('items', 'items-hint')}">
                <legend>${t.requestLegend}</legend>
                <p class="hint" id="items-hint">${t.requestHint}</p>
                ${fieldError(errors, 'items')}
                ${INFORMATION_ITEMS.map(
                  (item) =>
                    html`<p>
                      <input type="checkbox" id="item-${item}" name="item-${item}" value="on" />
                      <label class="inline" for="item-${item}">${INFORMATION_ITEM_LABELS[item][lang]}</label>
                    </p>`,
                )}
              </fieldset>
              <label for="note">${t.note}</label>
              <p class="hint" id="note-hint">${t.noteHint}</p>
              ${fieldError(errors, 'note')}
              <textarea
                id="note"
                name="note"
                rows="3"
                aria-describedby="${described('note', 'note-hint')}"
                ${errors.note ? html`aria-invalid="true"` : ''}
              ></textarea>
              <button type="submit" class="secondary">${t.request}</button>
            </form>`
      }`,
  });
};
