/**
 * The emails of an information request: the request to the social worker, the overdue notice to the
 * coordinator, and screening asked anew. They name what is asked only by the closed list's words; the
 * coordinator's note and the social worker's answer are free text, read on the link's page or after
 * sign-in, never mailed. Swedish: both recipients are staff.
 */
import {
  informationItemWords,
  latestInformationRequest,
  MAX_INFORMATION_REQUESTS,
  type InformationRequestOutcome,
} from '../../domain/information-request';
import type { Referral } from '../../domain/referral';
import type { StepOverdueEmail } from '../../kernel/human-step';
import type { EmailContent } from '../../web/emails/render';
import { fullDate, greeting, requestParts, type StepRequestEmail } from '../../web/emails/templates';
import { screeningRequest } from './emails';

/** The step modules pass the whole referral; the requests are what these emails read beyond the basics. */
type WithRequests = Pick<Referral, 'referralId' | 'child' | 'district'> &
  Pick<Partial<Referral>, 'informationRequests'>;

const day = (iso: string) => fullDate(iso, 'sv');

/** To the social worker: what is missing, in the list's words, and the link to her answer page. */
export const informationRequestEmail: StepRequestEmail = (r: WithRequests, to, url, expiresAt, o) => {
  const request = latestInformationRequest(r);
  const { until, renewedNote: renewed } = requestParts('sv', expiresAt, o?.renewed);
  return {
    template: 'information-request',
    language: 'sv',
    subject: `Bris behöver fler uppgifter: ärende ${r.referralId}`,
    greeting: greeting(to.name),
    paragraphs: [
      ...renewed,
      `Bris samordnare har gått igenom anmälan ${r.referralId} och behöver fler uppgifter innan den kan bedömas:`,
      ...informationItemWords(request?.items ?? [], 'sv').map((w) => `– ${w}.`),
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

/** To the coordinator, when the social worker is overdue: she may screen with what she has. */
export const informationRequestOverdue: StepOverdueEmail = (r, to, o) => ({
  template: 'information-request-overdue',
  language: 'sv',
  subject: `Försenat: komplettering i ärende ${r.referralId}`,
  greeting: greeting(to.name),
  paragraphs: [
    `Socialsekreteraren har inte svarat på begäran om komplettering i ärende ${r.referralId}, som skickades ${day(o.since)}, trots påminnelser.`,
    'Du kan bedöma anmälan med de uppgifter som finns: logga in och välj uppgiften under Mina uppgifter.',
    `Annars får du anmälan att bedöma igen ${day(o.deadline)}, utan kompletteringen.`,
  ],
  action: { label: 'Öppna ärendet', url: o.staffUrl },
  after: [`Referensnummer: ${r.referralId}.`],
});

const AFTER_REQUEST: Record<InformationRequestOutcome, (id: string) => string> = {
  answered: (id) =>
    `Socialsekreteraren har svarat på begäran om komplettering i ärende ${id}. Svaret visas när du öppnar länken.`,
  'cannot-add': (id) =>
    `Socialsekreteraren har svarat att det inte går att komplettera ärende ${id} mer. Svaret visas när du öppnar länken.`,
  'no-answer': (id) =>
    `Socialsekreteraren har inte svarat på begäran om komplettering i ärende ${id} inom tidsfristen.`,
  'screened-without': (id) => `Du valde att bedöma ärende ${id} utan kompletteringen.`,
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
  const { until, renewedNote: renewed } = requestParts('sv', expiresAt, o?.renewed);
  const more = (r.informationRequests?.length ?? 0) < MAX_INFORMATION_REQUESTS;
  return {
    template: 'screening-request-again',
    language: 'sv',
    subject: `Bedöm anmälan igen: ${r.referralId}`,
    greeting: greeting(to.name),
    paragraphs: [
      ...renewed,
      AFTER_REQUEST[request.outcome](r.referralId),
      more
        ? 'Öppna länken för att godkänna eller avslå anmälan, eller begära komplettering igen.'
        : 'Öppna länken för att godkänna eller avslå anmälan.',
    ],
    action: { label: 'Bedöm anmälan', url },
    after: [until],
  };
};
