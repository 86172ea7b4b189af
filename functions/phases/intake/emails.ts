/** Emails of the intake phase: the receipt to the social worker, with the promise of what she is told. */
import type { Language } from '../../domain/referral';
import { SOCIAL_WORKER_NOTIFICATIONS } from '../../web/emails/promises';
import type { EmailContent } from '../../web/emails/render';
import { type EmailReferral, greeting, withdrawalOffer } from '../../web/emails/templates';

/**
 * The receipt. Its promise is written from SOCIAL_WORKER_NOTIFICATIONS, the list the tests hold the
 * sending to: every email promised here is sent, and no other is.
 */
export function intakeReceived(
  r: EmailReferral,
  to: { name: string; language?: Language },
  withdraw?: string,
): EmailContent {
  const lang = to.language ?? 'sv';
  const promises = SOCIAL_WORKER_NOTIFICATIONS.map((n) => `– ${n.promise[lang]}.`);
  return lang === 'en'
    ? {
        template: 'intake-received',
        language: 'en',
        subject: `Referral ${r.referralId} has been received`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `Your referral to the Bris support groups has been received. Its reference code is ${r.referralId}.`,
          "Bris's coordinator will now look at the referral. You get an email:",
          ...promises,
        ],
        ...withdrawalOffer('en', withdraw),
      }
    : {
        template: 'intake-received',
        language: 'sv',
        subject: `Anmälan ${r.referralId} har tagits emot`,
        greeting: greeting(to.name),
        paragraphs: [
          `Din anmälan till Bris stödgrupper har tagits emot och har referensnummer ${r.referralId}.`,
          'Bris samordnare går nu igenom anmälan. Du får ett mejl:',
          ...promises,
        ],
        ...withdrawalOffer('sv', withdraw),
      };
}
