/**
 * The short questionnaire of the follow-up, for the child or the family home, in Swedish or English. Each
 * 1–5 item is a face scale: five large choices, each a drawn face (decoration, hidden from screen readers)
 * with a visible word, so a child of seven can answer without reading numbers. Native radio buttons inside
 * their labels: the arrow keys move between faces, and the whole face is the touch target (≥ 44 px).
 */
import type { Questionnaire } from '../../domain/follow-up';
import type { Language } from '../../domain/referral';
import { html, type SafeHtml } from '../../web/html';
import { page } from '../../web/layout';
import type { StepPage } from '../../web/pages/step-page';

/** The words under the faces, 1 (worst) to 5 (best). */
export const FACE_WORDS: Record<Language, readonly [string, string, string, string, string]> = {
  sv: ['Mycket dåligt', 'Dåligt', 'Varken bra eller dåligt', 'Bra', 'Mycket bra'],
  en: ['Very bad', 'Bad', 'Neither good nor bad', 'Good', 'Very good'],
};

/** A face for score 1–5: its mouth curves from a frown (1) to a wide smile (5). */
function face(score: number): SafeHtml {
  const bend = 24 + (score - 3) * 5;
  return html`<svg
    class="face-icon"
    viewBox="0 0 40 40"
    width="40"
    height="40"
    aria-hidden="true"
    focusable="false"
  >
    <circle cx="20" cy="20" r="18" fill="#fff3c4" stroke="#1a1a1a" stroke-width="2" />
    <circle cx="14" cy="16" r="2" fill="#1a1a1a" />
    <circle cx="26" cy="16" r="2" fill="#1a1a1a" />
    <path
      d="M12 ${26 - (score - 3)} Q20 ${bend} 28 ${26 - (score - 3)}"
      fill="none"
      stroke="#1a1a1a"
      stroke-width="2"
      stroke-linecap="round"
    />
  </svg>`;
}

const TEXT = {
  sv: {
    childTitle: 'Hur var det i gruppen?',
    carerTitle: 'Utvärdering av stödgruppen',
    childIntro:
      'Svara på några frågor om gruppen genom att välja den gubbe som passar bäst. Det finns inga rätta svar.',
    carerIntro:
      'Några korta frågor om gruppen: välj det svar som passar bäst. Svaren används för att följa upp verksamheten.',
    childHint: 'Skriv inte ditt personnummer eller var du bor.',
    carerHint: 'Skriv inte personnummer eller adresser.',
    send: 'Skicka svaren',
  },
  en: {
    childTitle: 'How was the group?',
    carerTitle: 'Evaluation of the support group',
    childIntro:
      'Answer a few questions about the group by choosing the face that fits best. There are no right answers.',
    carerIntro:
      'A few short questions about the group: choose the answer that fits best. The answers are used to follow up the programme.',
    childHint: 'Do not write your identity number or where you live.',
    carerHint: 'Do not write identity numbers or addresses.',
    send: 'Send the answers',
  },
} as const;

/** An item's words in the page's language: the partnership's English where it has one, else its Swedish. */
function itemText(item: Questionnaire['items'][number], lang: Language): string {
  return lang === 'en' ? (item.textEn ?? item.text) : item.text;
}

export const questionnairePage: StepPage = ({ view, action, top, errors, lang }) => {
  const { link } = view;
  const q = view.partnership.followUp[link.respondent ?? 'carer'];
  const forChild = link.respondent === 'child';
  const t = TEXT[lang];
  const title = forChild ? t.childTitle : t.carerTitle;
  const freeTextLabel = lang === 'en' ? (q.freeTextLabelEn ?? q.freeTextLabel) : q.freeTextLabel;
  return page({
    title,
    lang,
    body: html`<h1>${title}</h1>
      ${top}
      <p>${forChild ? t.childIntro : t.carerIntro}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="answer" />
        ${q.items.map((item) => {
          const field = `item-${item.id}`;
          const error = errors[field];
          return html`<fieldset
            class="face-scale"
            id="${field}"
            ${error ? html`aria-describedby="${field}-error"` : ''}
          >
            <legend>${itemText(item, lang)}</legend>
            ${error ? html`<p class="field-error" id="${field}-error">${error}</p>` : ''}
            <div class="faces">
              ${FACE_WORDS[lang].map(
                (word, i) =>
                  html`<label class="face" for="${field}-${i + 1}">
                    <input type="radio" id="${field}-${i + 1}" name="${field}" value="${i + 1}" required />
                    ${face(i + 1)}
                    <span>${word}</span>
                  </label>`,
              )}
            </div>
          </fieldset>`;
        })}
        <label for="freeText">${freeTextLabel}</label>
        <p class="hint" id="freeText-hint">${forChild ? t.childHint : t.carerHint}</p>
        ${errors.freeText ? html`<p class="field-error" id="freeText-error">${errors.freeText}</p>` : ''}
        <textarea
          id="freeText"
          name="freeText"
          rows="3"
          aria-describedby="freeText-hint${errors.freeText ? ' freeText-error' : ''}"
          ${errors.freeText ? html`aria-invalid="true"` : ''}
        ></textarea>
        <button type="submit">${t.send}</button>
      </form>`,
  });
};
