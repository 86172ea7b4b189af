/** Emails of the screening phase: the coordinator's request to screen, and the approval told to the social worker. */
import { childDisplayName, type Language, type Referral } from '../../domain/referral';
import type { EmailContent } from '../../web/emails/render';
import {
  type EmailReferral,
  greeting,
  requestParts,
  type StepRequestEmail,
} from '../../web/emails/templates';

/** To the coordinator, in her language (her setting on the staff list). */
export const screeningRequest: StepRequestEmail = (r, to, url, expiresAt, o = {}) => {
  const lang = to.language;
  const { until, renewedNote } = requestParts(lang, expiresAt, o.renewed);
  return lang === 'en'
    ? {
        template: 'screening-request',
        language: 'en',
        subject: `New referral to screen: ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          ...renewedNote,
          `A new referral to a support group has come in from the district ${r.district} (referral ${r.referralId}, the child is ${r.child.ageAtReferral} years old).`,
          'Open the link to approve or decline the referral.',
        ],
        action: { label: 'Screen the referral', url },
        after: [until],
      }
    : {
        template: 'screening-request',
        language: 'sv',
        subject: `Ny anmälan att bedöma: ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          ...renewedNote,
          `En ny anmälan till stödgrupp har kommit in från stadsdelsområde ${r.district} (ärende ${r.referralId}, barnet är ${r.child.ageAtReferral} år).`,
          'Öppna länken för att godkänna eller avslå anmälan.',
        ],
        action: { label: 'Bedöm anmälan', url },
        after: [until],
      };
};

/** Screening approved: the referral goes on to consent. No reason or note: an approval has none. */
export function screeningApproved(
  r: EmailReferral & Pick<Referral, 'consentBasisRequested'>,
  to: { name: string; language: Language },
): EmailContent {
  const child = childDisplayName(r, to.language);
  return to.language === 'en'
    ? {
        template: 'screening-approved',
        language: 'en',
        subject: `Referral ${r.referralId} is approved`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `Bris has approved referral ${r.referralId} for ${child}.`,
          r.consentBasisRequested === 'child'
            ? 'Next: the child consents alone, as you stated in the referral; you get an email when the consent is recorded.'
            : 'Next: every custodian is asked for consent by email (or on paper, through you, for a custodian without email). You get an email when consent is complete.',
        ],
        after: [`Reference code: ${r.referralId}.`],
      }
    : {
        template: 'screening-approved',
        language: 'sv',
        subject: `Anmälan ${r.referralId} är godkänd`,
        greeting: greeting(to.name),
        paragraphs: [
          `Bris har godkänt anmälan ${r.referralId} för ${child}.`,
          r.consentBasisRequested === 'child'
            ? 'Nästa steg: barnet samtycker självt, som du angav i anmälan; du får ett mejl när samtycket är registrerat.'
            : 'Nästa steg: alla vårdnadshavare tillfrågas om samtycke via e-post (eller på papper, genom dig, för den som saknar e-post). Du får ett mejl när samtycket är klart.',
        ],
        after: [`Referensnummer: ${r.referralId}.`],
      };
}
