/** Shared by the step pages: the contract (StepPage, StepPageContext) is the kernel's. */
export type { StepPage, StepPageContext } from '../../kernel/human-step';
import { html, type SafeHtml } from '../html';

export const CONFIRM_HINT = {
  sv: 'Ingenting händer förrän du trycker på en knapp.',
  en: 'Nothing happens until you press a button.',
} as const;

/** A field's error, shown above the field and tied to it (aria-describedby). */
export function fieldError(errors: Record<string, string>, field: string): SafeHtml | string {
  return errors[field] ? html`<p class="field-error" id="${field}-error">${errors[field]}</p>` : '';
}
