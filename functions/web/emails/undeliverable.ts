/**
 * The email that tells the coordinator (and, for a custodian, the social worker) that an email of the
 * referral could not be delivered: whose, by role and number only. Never the address, never typed text.
 */
import type { UndeliverableEmail } from '../../domain/referral';
import type { EmailContent } from './render';
import { type EmailReferral, greeting, staffReferralUrl } from './templates';

function whose(u: Pick<UndeliverableEmail, 'role' | 'custodian'>): string {
  if (u.role === 'custodian') return `vårdnadshavare ${u.custodian}`;
  return u.role === 'carer' ? 'familjehemmet' : 'socialsekreteraren';
}

export function emailUndeliverable(
  r: EmailReferral,
  to: { name: string; role: 'coordinator' | 'social-worker' },
  u: Pick<UndeliverableEmail, 'role' | 'custodian' | 'kind'>,
  o: { publicBaseUrl: string; asksSocialWorker: boolean },
): EmailContent {
  const what =
    u.kind === 'bounce'
      ? `E-post till ${whose(u)} i ärende ${r.referralId} kunde inte levereras: adressen fungerar inte.`
      : `E-post till ${whose(u)} i ärende ${r.referralId} anmäldes som skräppost av mottagaren. Inget mer skickas dit.`;
  const next = o.asksSocialWorker
    ? to.role === 'social-worker'
      ? 'Samtycket väntar därför på dig: du får ett eget mejl med en länk där du anger en annan e-postadress eller registrerar samtycket från en underskriven blankett.'
      : 'Socialsekreteraren ombeds ange en annan adress eller inhämta samtycket på blankett.'
    : 'Kontrollera adressen och kontakta mottagaren på annat sätt om det behövs.';
  return {
    template: 'email-undeliverable',
    language: 'sv',
    subject: `E-post kom inte fram: ärende ${r.referralId}`,
    greeting: greeting(to.name),
    paragraphs: [what, next],
    action: {
      label: 'Öppna ärendet (kräver inloggning)',
      url: staffReferralUrl(o.publicBaseUrl, r.referralId),
    },
    after: [`Referensnummer: ${r.referralId}.`],
  };
}
