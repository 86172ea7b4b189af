/** The short questionnaire of the follow-up, for the child or the family home. */
import { html } from '../../web/html';
import { page } from '../../web/layout';
import type { StepPage } from '../../web/pages/step-page';

export const questionnairePage: StepPage = ({ view, action, top, errors }) => {
  const { link } = view;
  const q = view.partnership.followUp[link.respondent ?? 'carer'];
  const forChild = link.respondent === 'child';
  return page({
    title: forChild ? 'Hur var det i gruppen?' : 'Utvärdering av stödgruppen',
    body: html`<h1>${forChild ? 'Hur var det i gruppen?' : 'Utvärdering av stödgruppen'}</h1>
      ${top}
      <p>
        ${forChild ? 'Svara på några frågor om gruppen. 1 betyder inte alls, 5 betyder jättebra. Det finns inga rätta svar.' : 'Några korta frågor om gruppen. 1 betyder inte alls, 5 betyder mycket bra. Svaren används för att följa upp verksamheten.'}
      </p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="answer" />
        ${q.items.map(
          (item) =>
            html`<fieldset id="item-${item.id}">
              <legend>${item.text}</legend>
              ${errors[`item-${item.id}`] ? html`<p class="field-error">${errors[`item-${item.id}`]}</p>` : ''}
              ${[1, 2, 3, 4, 5].map(
                (n) =>
                  html`<input
                      type="radio"
                      id="item-${item.id}-${n}"
                      name="item-${item.id}"
                      value="${n}"
                    /><label class="inline" for="item-${item.id}-${n}">${n}</label> `,
              )}
            </fieldset>`,
        )}
        <label for="freeText">${q.freeTextLabel}</label>
        <p class="hint" id="freeText-hint">
          ${forChild ? 'Skriv inte ditt personnummer eller var du bor.' : 'Skriv inte personnummer eller adresser.'}
        </p>
        ${errors.freeText ? html`<p class="field-error" id="freeText-error">${errors.freeText}</p>` : ''}
        <textarea
          id="freeText"
          name="freeText"
          rows="3"
          aria-describedby="freeText-hint${errors.freeText ? ' freeText-error' : ''}"
          ${errors.freeText ? html`aria-invalid="true"` : ''}
        ></textarea>
        <button type="submit">Skicka svaren</button>
      </form>`,
  });
};
