/** The staff phase's email: the sign-in link, in the language the person signs in with. */
import type { Language } from '../../domain/referral';
import type { EmailContent } from '../../web/emails/render';
import { greeting } from '../../web/emails/templates';

const SIGN_IN = {
  sv: {
    subject: 'Logga in: Bris stödgrupper',
    asked: 'Någon, förhoppningsvis du, bad om att logga in. Öppna länken och bekräfta.',
    button: 'Logga in',
    after: (minutes: number) =>
      `Länken fungerar en gång i ${minutes} minuter. Bad du inte om den kan du bortse från mejlet.`,
  },
  en: {
    subject: 'Sign in: Bris support groups',
    asked: 'Someone, hopefully you, asked to sign in. Open the link and confirm.',
    button: 'Sign in',
    after: (minutes: number) =>
      `The link works once, for ${minutes} minutes. If you did not ask for it, you can ignore this email.`,
  },
} as const;

/** The staff sign-in link. */
export function staffSignIn(
  to: { name: string },
  url: string,
  minutes: number,
  lang: Language = 'sv',
): EmailContent {
  const t = SIGN_IN[lang];
  return {
    template: 'staff-sign-in',
    language: lang,
    subject: t.subject,
    greeting: greeting(to.name, lang),
    paragraphs: [t.asked],
    action: { label: t.button, url },
    after: [t.after(minutes)],
  };
}
