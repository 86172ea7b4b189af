/** Emails of the consent phase: the request and reminder to custodians (or on paper), the escalation, completion. */
import { printableName } from '../../domain/free-text';
import { childDisplayName, type Language, type LegalBasis } from '../../domain/referral';
import type { EmailContent } from '../../web/emails/render';
import {
  type EmailReferral,
  greeting,
  requestParts,
  type StepEmailOptions,
  type StepRequestEmail,
  withdrawalOffer,
} from '../../web/emails/templates';

function paperName(name: string): string {
  const n = printableName(name);
  return n ? ` (${n})` : '';
}

function consentRequest(
  r: EmailReferral,
  to: { name: string; language: Language },
  url: string,
  until: string,
  o: StepEmailOptions,
  renewedNote: string[],
): EmailContent {
  const child = childDisplayName(r, to.language);
  if (o.forCustodian) {
    // To the social worker, in the language she used on the form.
    const c = o.forCustodian;
    const who = `${c.number}${paperName(c.name)}`;
    return to.language === 'en'
      ? {
          template: 'consent-request-paper',
          language: 'en',
          subject: `Consent on paper: referral ${r.referralId}`,
          greeting: greeting(to.name, 'en'),
          paragraphs: [
            ...renewedNote,
            c.emailBounced
              ? `Email to custodian ${who} could not be delivered. Give another email address with the link below, and the custodian gets a new request, or collect the consent on the form and record the answer with a reference to the signed form.`
              : `Custodian ${who} has no email. Collect the consent on the form and record the answer with the link below, with a reference to the signed form.`,
          ],
          action: { label: "Record the custodian's answer", url },
          after: [until],
        }
      : {
          template: 'consent-request-paper',
          language: 'sv',
          subject: `Samtycke på papper: ärende ${r.referralId}`,
          greeting: greeting(to.name),
          paragraphs: [
            ...renewedNote,
            c.emailBounced
              ? `E-post till vårdnadshavare ${who} kunde inte levereras. Ange en annan e-postadress med länken nedan, så får vårdnadshavaren en ny förfrågan, eller inhämta samtycket på blanketten och registrera svaret med en hänvisning till den underskrivna blanketten.`
              : `Vårdnadshavare ${who} har ingen e-post. Inhämta samtycket på blanketten och registrera svaret med länken nedan, med en hänvisning till den underskrivna blanketten.`,
          ],
          action: { label: 'Registrera vårdnadshavarens svar', url },
          after: [until],
        };
  }
  return to.language === 'en'
    ? {
        template: 'consent-request',
        language: 'en',
        subject: 'Your consent: a Bris support group',
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          ...renewedNote,
          `The social services have suggested that ${child} takes part in a support group run by Bris, the children's rights organisation, together with other children who live in family homes.`,
          "The group is held in Bris's own premises. We need the consent of every custodian. Open the link to read more and to give or refuse your consent. You can withdraw your consent at any time.",
        ],
        action: { label: 'Read more and answer', url },
        after: [until],
        ...withdrawalOffer('en', o.withdraw),
      }
    : {
        template: 'consent-request',
        language: 'sv',
        subject: 'Ditt samtycke: stödgrupp hos Bris',
        greeting: greeting(to.name),
        paragraphs: [
          ...renewedNote,
          `Socialtjänsten föreslår att ${child} får delta i en stödgrupp hos Bris tillsammans med andra barn som bor i familjehem.`,
          'Gruppen träffas i Bris egna lokaler. Vi behöver samtycke från alla vårdnadshavare. Öppna länken för att läsa mer och svara ja eller nej. Du kan när som helst återkalla ditt samtycke.',
        ],
        action: { label: 'Läs mer och svara', url },
        after: [until],
        ...withdrawalOffer('sv', o.withdraw),
      };
}

export const consentRequestEmail: StepRequestEmail = (r, to, url, expiresAt, o = {}) => {
  const { until, renewedNote } = requestParts(to.language, expiresAt, o.renewed);
  return consentRequest(r, to, url, until, o, renewedNote);
};

/** To the social worker, in the language she used on the form. */
export const escalationRequest: StepRequestEmail = (r, to, url, expiresAt, o = {}) => {
  const { until, renewedNote } = requestParts(to.language, expiresAt, o.renewed);
  const citation = o.partnership?.consent.committeeDecisionCitation ?? 'Föräldrabalken 6 kap. 13 a §';
  return to.language === 'en'
    ? {
        template: 'consent-escalation',
        language: 'en',
        subject: `Consent missing: referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          ...renewedNote,
          `Consent from every custodian has not come in before the deadline in referral ${r.referralId}, despite reminders.`,
          // The citation names Swedish law; it stays as the law writes it.
          `Open the link and choose: extend the deadline, record the Social Welfare Committee's decision under the Children and Parents Code (${citation}; the decision date and case number are needed), or close the referral.`,
        ],
        action: { label: 'Choose how the referral goes on', url },
        after: [until],
      }
    : {
        template: 'consent-escalation',
        language: 'sv',
        subject: `Samtycke saknas: ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          ...renewedNote,
          `Samtycke från alla vårdnadshavare har inte kommit in före tidsgränsen i ärende ${r.referralId}, trots påminnelser.`,
          `Öppna länken och välj: förläng tidsgränsen, registrera socialnämndens beslut enligt ${citation} (beslutsdatum och diarienummer krävs), eller avsluta anmälan.`,
        ],
        action: { label: 'Välj hur ärendet ska gå vidare', url },
        after: [until],
      };
};

export function consentReminder(
  r: EmailReferral,
  to: { name: string; language: Language },
  url: string,
  expiresAt: string,
  o: Pick<StepEmailOptions, 'withdraw' | 'forCustodian'> = {},
): EmailContent {
  const request = consentRequestEmail(r, to, url, expiresAt, o);
  const lang = request.language;
  return {
    ...request,
    template: o.forCustodian ? 'consent-reminder-paper' : 'consent-reminder',
    subject: lang === 'en' ? `Reminder: ${request.subject}` : `Påminnelse: ${request.subject}`,
    paragraphs: [
      lang === 'en'
        ? 'We have not yet received an answer. This is a reminder; the link in this email replaces the earlier one.'
        : 'Vi har ännu inte fått något svar. Det här är en påminnelse; länken i det här mejlet ersätter den tidigare.',
      ...request.paragraphs,
    ],
  };
}

const BASIS_WORDS: Record<LegalBasis['kind'], Record<Language, string>> = {
  'custodian-consent': {
    sv: 'samtycke från samtliga vårdnadshavare',
    en: 'the consent of every custodian',
  },
  'child-consent': { sv: 'barnets eget samtycke', en: "the child's own consent" },
  'committee-decision': { sv: 'socialnämndens beslut', en: "the Social Welfare Committee's decision" },
};

/**
 * Consent is complete: which legal basis was recorded, in words. Never a decision's case reference, a
 * paper reference or who recorded it: those are typed, and read on the staff page.
 */
export function consentComplete(
  r: EmailReferral,
  to: { name: string; language: Language },
  basis: Pick<LegalBasis, 'kind'>,
): EmailContent {
  const child = childDisplayName(r, to.language);
  const words = BASIS_WORDS[basis.kind][to.language];
  return to.language === 'en'
    ? {
        template: 'consent-complete',
        language: 'en',
        subject: `Consent complete: referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `Consent is complete for ${child} (referral ${r.referralId}). The legal basis recorded is ${words}.`,
          'The child now waits for a place in a group. You get an email when the child is placed, with the format and start date.',
        ],
        after: [`Reference code: ${r.referralId}.`],
      }
    : {
        template: 'consent-complete',
        language: 'sv',
        subject: `Samtycket är klart: ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          `Samtycket är klart för ${child} (ärende ${r.referralId}). Den rättsliga grunden som registrerats är ${words}.`,
          'Barnet väntar nu på en plats i en grupp. Du får ett mejl när barnet har fått plats, med format och startdatum.',
        ],
        after: [`Referensnummer: ${r.referralId}.`],
      };
}
