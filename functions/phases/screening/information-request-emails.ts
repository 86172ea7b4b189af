/**
 * The emails of an information request: the request to the social worker, the overdue notice to the
 * coordinator, and screening asked anew. They name what is asked only by the closed list's words; the
 * coordinator's note and the social worker's answer are free text, read on the link's page or after
 * sign-in, never mailed. In each recipient's language: the social worker's from the form, the coordinator's
 * from the staff list.
 */
import {
  informationItemWords,
  latestInformationRequest,
  MAX_INFORMATION_REQUESTS,
  type InformationRequestOutcome,
} from '../../domain/information-request';
import type { Language, Referral } from '../../domain/referral';
import type { StepOverdueEmail } from '../../kernel/human-step';
import type { EmailContent } from '../../web/emails/render';
import {
  fullDate,
  greeting,
  referenceLine,
  requestParts,
  type StepRequestEmail,
} from '../../web/emails/templates';
import { screeningRequest } from './emails';

/** The step modules pass the whole referral; the requests are what these emails read beyond the basics. */
type WithRequests = Pick<Referral, 'referralId' | 'child' | 'district'> &
  Pick<Partial<Referral>, 'informationRequests'>;

/** To the social worker, in the language she used on the form: what is missing, in the list's words, and the link. */
export const informationRequestEmail: StepRequestEmail = (r: WithRequests, to, url, expiresAt, o) => {
  const lang = to.language;
  const request = latestInformationRequest(r);
  const { until, renewedNote: renewed } = requestParts(lang, expiresAt, o?.renewed);
  const items = informationItemWords(request?.items ?? [], lang).map((w) => `– ${w}.`);
  return lang === 'en'
    ? {
        template: 'information-request',
        language: 'en',
        subject: `Bris needs more information: referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          ...renewed,
          `Bris's coordinator has read referral ${r.referralId} and needs more information before it can be screened:`,
          ...items,
          ...(request?.note
            ? [
                'The coordinator has also written a comment. It is not sent by email: you read it when you open the link.',
              ]
            : []),
          'Open the link and add the information, or answer that you cannot add more.',
        ],
        action: { label: 'Add information to the referral', url },
        after: [until],
      }
    : {
        template: 'information-request',
        language: 'sv',
        subject: `Bris behöver fler uppgifter: ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          ...renewed,
          `Bris samordnare har gått igenom anmälan ${r.referralId} och behöver fler uppgifter innan den kan bedömas:`,
          ...items,
          ...(request?.note
            ? [
                'Samordnaren har också skrivit en kommentar. Den skickas inte med e-post: du läser den när du öppnar länken.',
              ]
            : []),
          'Öppna länken och skriv kompletteringen, eller svara att du inte kan komplettera mer.',
        ],
        action: { label: 'Komplettera anmälan', url },
        after: [until],
      };
};

/** To the coordinator, in her language, when the social worker is overdue: she may screen with what she has. */
export const informationRequestOverdue: StepOverdueEmail = (r, to, o) => {
  const lang = to.language ?? 'sv';
  return lang === 'en'
    ? {
        template: 'information-request-overdue',
        language: 'en',
        subject: `Overdue: more information in referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `The social worker has not answered the request for more information in referral ${r.referralId}, sent on ${fullDate(o.since, 'en')}, despite reminders.`,
          'You can screen the referral with the information there is: sign in and choose the task under My tasks.',
          `Otherwise the referral comes back to you to screen on ${fullDate(o.deadline, 'en')}, without the information.`,
        ],
        action: { label: 'Open the referral', url: o.staffUrl },
        after: [referenceLine(r.referralId, 'en')],
      }
    : {
        template: 'information-request-overdue',
        language: 'sv',
        subject: `Försenat: komplettering i ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          `Socialsekreteraren har inte svarat på begäran om komplettering i ärende ${r.referralId}, som skickades ${fullDate(o.since, 'sv')}, trots påminnelser.`,
          'Du kan bedöma anmälan med de uppgifter som finns: logga in och välj uppgiften under Mina uppgifter.',
          `Annars får du anmälan att bedöma igen ${fullDate(o.deadline, 'sv')}, utan kompletteringen.`,
        ],
        action: { label: 'Öppna ärendet', url: o.staffUrl },
        after: [referenceLine(r.referralId, 'sv')],
      };
};

const AFTER_REQUEST: Record<InformationRequestOutcome, Record<Language, (id: string) => string>> = {
  answered: {
    sv: (id) =>
      `Socialsekreteraren har svarat på begäran om komplettering i ärende ${id}. Svaret visas när du öppnar länken.`,
    en: (id) =>
      `The social worker has answered the request for more information in referral ${id}. The answer is shown when you open the link.`,
  },
  'cannot-add': {
    sv: (id) =>
      `Socialsekreteraren har svarat att det inte går att komplettera ärende ${id} mer. Svaret visas när du öppnar länken.`,
    en: (id) =>
      `The social worker has answered that no more information can be added to referral ${id}. The answer is shown when you open the link.`,
  },
  'no-answer': {
    sv: (id) =>
      `Socialsekreteraren har inte svarat på begäran om komplettering i ärende ${id} inom tidsfristen.`,
    en: (id) =>
      `The social worker has not answered the request for more information in referral ${id} within the time limit.`,
  },
  'screened-without': {
    sv: (id) => `Du valde att bedöma ärende ${id} utan kompletteringen.`,
    en: (id) => `You chose to screen referral ${id} without the information.`,
  },
};

/**
 * The coordinator's screening email: the first request, or — after an information request has ended —
 * screening asked anew, saying how the request ended (never what was written).
 */
export const screeningRequestEmail: StepRequestEmail = (
  r: WithRequests,
  to,
  url,
  expiresAt,
  o,
): EmailContent => {
  const request = latestInformationRequest(r);
  if (!request?.outcome) return screeningRequest(r, to, url, expiresAt, o);
  const lang = to.language;
  const { until, renewedNote: renewed } = requestParts(lang, expiresAt, o?.renewed);
  const more = (r.informationRequests?.length ?? 0) < MAX_INFORMATION_REQUESTS;
  return lang === 'en'
    ? {
        template: 'screening-request-again',
        language: 'en',
        subject: `Screen the referral again: ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          ...renewed,
          AFTER_REQUEST[request.outcome].en(r.referralId),
          more
            ? 'Open the link to approve or decline the referral, or to ask for more information again.'
            : 'Open the link to approve or decline the referral.',
        ],
        action: { label: 'Screen the referral', url },
        after: [until],
      }
    : {
        template: 'screening-request-again',
        language: 'sv',
        subject: `Bedöm anmälan igen: ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          ...renewed,
          AFTER_REQUEST[request.outcome].sv(r.referralId),
          more
            ? 'Öppna länken för att godkänna eller avslå anmälan, eller begära komplettering igen.'
            : 'Öppna länken för att godkänna eller avslå anmälan.',
        ],
        action: { label: 'Bedöm anmälan', url },
        after: [until],
      };
};
