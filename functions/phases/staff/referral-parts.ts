/** Parts of the staff referral page in domain words: the timeline and what a failure means for staff. */
import type { Language, Referral } from '../../domain/referral';
import type { AuditEvent } from '../../ports';
import { actionLabel, describeDetail, phaseLabel, roleLabel } from '../../web/audit-labels';
import { failureSentence, TECHNICAL_INFORMATION } from '../../web/failure-messages';
import { html, type SafeHtml } from '../../web/html';
import { staffDateTime } from './language';

// An escape, not the character: html`` text is kept as written in the bundle, which must stay ASCII
// (test/infra/bundle-size.test.ts), and the formatter writes escapes in that text back as characters.
const EN_DASH = '\u2013';

/** Folded-away detail for those who support the system: the error code as the workflow raised it. */
function technical(lang: Language, lines: string[]): SafeHtml {
  return html`<details>
    <summary>${TECHNICAL_INFORMATION[lang]}</summary>
    <p>${lines.map((l, i) => html`${i ? html`<br />` : ''}<code>${l}</code>`)}</p>
  </details>`;
}

/** One line of the timeline: when, what (in words, with its codes in words), in which phase, by whom. */
export function timelineItem(e: AuditEvent, lang: Language): SafeHtml {
  const details = describeDetail(e, lang);
  const by = e.actor.name ?? roleLabel(e.actor.role, lang);
  const error = e.detail?.error;
  return html`<li>
    ${staffDateTime(e.at, lang)}:
    ${actionLabel(e.action, lang)}${details.length ? `: ${details.join(', ')}` : ''}${
      e.phase ? ` (${phaseLabel(e.phase, lang)})` : ''
    }
    ${EN_DASH} ${by}${error ? technical(lang, [error]) : ''}
  </li>`;
}

export function timeline(events: AuditEvent[], lang: Language): SafeHtml {
  return html`<ol>
    ${events.map((e) => timelineItem(e, lang))}
  </ol>`;
}

/**
 * A referral's failure as staff read it: a sentence on what happened and what to do, the error folded
 * away. Once retried (the status is no longer needs-attention) it is told as history.
 */
export function failureNotice(r: Pick<Referral, 'failure' | 'status'>, lang: Language): SafeHtml {
  if (!r.failure) return html``;
  const resolved = r.status !== 'needs-attention';
  return html`<p>${failureSentence(r.failure, lang, resolved)} (${staffDateTime(r.failure.at, lang)})</p>
    ${technical(lang, [r.failure.error])}`;
}
