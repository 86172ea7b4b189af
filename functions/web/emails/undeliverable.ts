/**
 * The email that tells the coordinator (and, for a custodian, the social worker) that an email of the
 * referral could not be delivered: whose, by role and number only. Never the address, never typed text.
 * In the recipient's language: the coordinator's from the staff list, the social worker's from the form.
 */
import type { Language, UndeliverableEmail } from '../../domain/referral';
import type { EmailContent } from './render';
import { type EmailReferral, greeting, referenceLine, staffReferralUrl } from './templates';

function whose(u: Pick<UndeliverableEmail, 'role' | 'custodian'>, lang: Language): string {
  if (lang === 'en') {
    if (u.role === 'custodian') return `custodian ${u.custodian}`;
    return u.role === 'carer' ? 'the family home' : 'the social worker';
  }
  if (u.role === 'custodian') return `vårdnadshavare ${u.custodian}`;
  return u.role === 'carer' ? 'familjehemmet' : 'socialsekreteraren';
}

const WORDS = {
  sv: {
    bounce: (who: string, id: string) =>
      `E-post till ${who} i ärende ${id} kunde inte levereras: adressen fungerar inte.`,
    complaint: (who: string, id: string) =>
      `E-post till ${who} i ärende ${id} anmäldes som skräppost av mottagaren. Inget mer skickas dit.`,
    yours:
      'Samtycket väntar därför på dig: du får ett eget mejl med en länk där du anger en annan e-postadress eller registrerar samtycket från en underskriven blankett.',
    asked: 'Socialsekreteraren ombeds ange en annan adress eller inhämta samtycket på blankett.',
    check: 'Kontrollera adressen och kontakta mottagaren på annat sätt om det behövs.',
    subject: (id: string) => `E-post kom inte fram: ärende ${id}`,
    open: 'Öppna ärendet (kräver inloggning)',
  },
  en: {
    bounce: (who: string, id: string) =>
      `Email to ${who} in referral ${id} could not be delivered: the address does not work.`,
    complaint: (who: string, id: string) =>
      `Email to ${who} in referral ${id} was reported as spam by the recipient. Nothing more is sent there.`,
    yours:
      'The consent therefore waits for you: you get an email of your own with a link where you give another email address or record the consent from a signed form.',
    asked: 'The social worker is asked to give another address or to collect the consent on a form.',
    check: 'Check the address and contact the recipient in another way if needed.',
    subject: (id: string) => `Email did not arrive: referral ${id}`,
    open: 'Open the referral (sign-in needed)',
  },
} as const;

export function emailUndeliverable(
  r: EmailReferral,
  to: { name: string; role: 'coordinator' | 'social-worker'; language?: Language },
  u: Pick<UndeliverableEmail, 'role' | 'custodian' | 'kind'>,
  o: { publicBaseUrl: string; asksSocialWorker: boolean },
): EmailContent {
  const lang = to.language ?? 'sv';
  const t = WORDS[lang];
  const what = t[u.kind](whose(u, lang), r.referralId);
  const next = o.asksSocialWorker ? (to.role === 'social-worker' ? t.yours : t.asked) : t.check;
  return {
    template: 'email-undeliverable',
    language: lang,
    subject: t.subject(r.referralId),
    greeting: greeting(to.name, lang),
    paragraphs: [what, next],
    action: { label: t.open, url: staffReferralUrl(o.publicBaseUrl, r.referralId) },
    after: [referenceLine(r.referralId, lang)],
  };
}
