import type { Language } from '../../domain/referral';
import type { EmailMessage } from '../../ports';
import { html } from '../html';

export interface EmailContent {
  template: string;
  language: Language;
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  after?: string[];
  /** A second, less prominent link (withdrawal). */
  secondary?: { intro: string; label: string; url: string };
  attachments?: EmailMessage['attachments'];
}

/** The privacy notice (one path; `?lang=en` for English), linked from every page and email footer. */
export const PRIVACY_PATH = '/privacy';

export function privacyUrl(publicBaseUrl: string, lang: Language): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${PRIVACY_PATH}${lang === 'en' ? '?lang=en' : ''}`;
}

const PRIVACY_WORDS: Record<Language, string> = {
  sv: 'Så behandlar vi personuppgifter',
  en: 'How we handle personal data',
};

/**
 * One content → plain text and simple, accessible HTML. No tracking pixels, no remote images. The footer
 * links the privacy notice on the site at `publicBaseUrl` (every sender passes it; only a unit test that
 * renders content alone leaves it out).
 */
export function renderEmail(to: string, c: EmailContent, publicBaseUrl?: string): EmailMessage {
  const privacy = publicBaseUrl
    ? { label: PRIVACY_WORDS[c.language], url: privacyUrl(publicBaseUrl, c.language) }
    : undefined;
  const signature =
    c.language === 'en' ? 'Bris support groups – City of Stockholm' : 'Bris stödgrupper – Stockholms stad';
  const noReply =
    c.language === 'en'
      ? 'This email was sent automatically. The link is personal: do not forward it.'
      : 'Det här mejlet skickades automatiskt. Länken är personlig: vidarebefordra den inte.';
  const text = [
    c.greeting,
    '',
    ...c.paragraphs.flatMap((p) => [p, '']),
    ...(c.action ? [`${c.action.label}:`, c.action.url, ''] : []),
    ...(c.after ?? []).flatMap((p) => [p, '']),
    ...(c.secondary ? [c.secondary.intro, `${c.secondary.label}:`, c.secondary.url, ''] : []),
    noReply,
    ...(privacy ? ['', `${privacy.label}:`, privacy.url] : []),
    '',
    signature,
  ].join('\n');
  const body = html`<!doctype html>
    <html lang="${c.language}">
      <head>
        <meta charset="utf-8" />
        <title>${c.subject}</title>
      </head>
      <body
        style="font-family: system-ui, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; max-width: 40rem;"
      >
        <p>${c.greeting}</p>
        ${c.paragraphs.map((p) => html`<p>${p}</p>`)}
        ${c.action ? html`<p><a href="${c.action.url}" style="font-weight: 600; color: #0b5394;">${c.action.label}</a></p>` : ''}
        ${(c.after ?? []).map((p) => html`<p>${p}</p>`)}
        ${c.secondary ? html`<p>${c.secondary.intro} <a href="${c.secondary.url}">${c.secondary.label}</a></p>` : ''}
        <p style="color: #555; font-size: 14px;">${noReply}</p>
        ${privacy ? html`<p style="font-size: 14px;"><a href="${privacy.url}">${privacy.label}</a></p>` : ''}
        <p>${signature}</p>
      </body>
    </html>`;
  return {
    to,
    subject: c.subject,
    text,
    html: body.value,
    template: c.template,
    language: c.language,
    attachments: c.attachments,
  };
}
