/** What a step's page is given to render itself: the open link, where its forms post, and what went wrong. */
import type { Language } from '../../domain/referral';
import type { LinkView } from '../../kernel/link-engine';
import { html, type SafeHtml } from '../html';

export interface StepPageContext {
  view: Extract<LinkView, { kind: 'open' }>;
  /** Where the page's forms post: the link itself, or the staff inbox's task. */
  action: string;
  /** A notice and the error summary, to show under the heading. */
  top: SafeHtml;
  errors: Record<string, string>;
  lang: Language;
}

export type StepPage = (ctx: StepPageContext) => string;

export const CONFIRM_HINT = {
  sv: 'Ingenting händer förrän du trycker på en knapp.',
  en: 'Nothing happens until you press a button.',
} as const;

/** A field's error, shown above the field and tied to it (aria-describedby). */
export function fieldError(errors: Record<string, string>, field: string): SafeHtml | string {
  return errors[field] ? html`<p class="field-error" id="${field}-error">${errors[field]}</p>` : '';
}
