/**
 * The coordinator's screening page: the referral's few facts, what earlier information requests asked and
 * got, and three choices: approve (with a need), decline (with a reason), or request more information.
 */
import {
  INFORMATION_ITEM_LABELS,
  INFORMATION_ITEMS,
  MAX_INFORMATION_REQUESTS,
} from '../../domain/information-request';
import { html } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, fieldError, type StepPage } from '../../web/pages/step-page';
import { informationRequestsSection } from './information-request-page';

export const screeningPage: StepPage = ({ view, action, top, errors }) => {
  const { referral } = view;
  const asked = referral.informationRequests?.length ?? 0;
  const described = (field: string, hint: string) => `${hint}${errors[field] ? ` ${field}-error` : ''}`;
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
      ${informationRequestsSection(referral)}
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
      </form>
      ${
        asked >= MAX_INFORMATION_REQUESTS
          ? html`<p id="items">
              Komplettering har begärts ${asked} gånger, vilket är det mesta för en anmälan: godkänn eller
              avslå med de uppgifter som finns.
            </p>`
          : html`<form method="post" action="${action}">
              <input type="hidden" name="action" value="request-information" />
              <fieldset id="items" aria-describedby="${described('items', 'items-hint')}">
                <legend>Begär komplettering från socialsekreteraren</legend>
                <p class="hint" id="items-hint">
                  Kryssa i det som saknas. Socialsekreteraren får ett mejl som nämner det du kryssat i, och du
                  får anmälan att bedöma igen när socialsekreteraren har svarat.
                </p>
                ${fieldError(errors, 'items')}
                ${INFORMATION_ITEMS.map(
                  (item) =>
                    html`<p>
                      <input type="checkbox" id="item-${item}" name="item-${item}" value="on" />
                      <label class="inline" for="item-${item}">${INFORMATION_ITEM_LABELS[item].sv}</label>
                    </p>`,
                )}
              </fieldset>
              <label for="note">Kommentar till socialsekreteraren (frivillig)</label>
              <p class="hint" id="note-hint">
                Kommentaren mejlas inte: socialsekreteraren läser den på sidan som länken i mejlet leder till.
                Skriv inte personnummer, adress eller placeringsuppgifter.
              </p>
              ${fieldError(errors, 'note')}
              <textarea
                id="note"
                name="note"
                rows="3"
                aria-describedby="${described('note', 'note-hint')}"
                ${errors.note ? html`aria-invalid="true"` : ''}
              ></textarea>
              <button type="submit" class="secondary">Begär komplettering</button>
            </form>`
      }`,
  });
};
