/**
 * Needs-attention is for system failures only. Staff read what happened and what they can do as a
 * sentence; the error code (what Step Functions or a task raised) is technical detail, folded away.
 */
import type { Language, Phase } from '../domain/referral';
import { phaseStepName, type Label } from './audit-labels';

interface Explanation {
  /** What went wrong, in a sentence. */
  cause: Label;
  /** What staff can do. */
  advice: Label;
}

const TRY_AGAIN: Label = {
  sv: 'Försök igen; om det händer igen, kontakta systemförvaltningen.',
  en: 'Try again; if it happens again, contact the system administrators.',
};
const PROGRAM_ERROR: Label = {
  sv: 'Ett nytt försök hjälper troligen inte: kontakta systemförvaltningen.',
  en: 'Trying again will probably not help: contact the system administrators.',
};

/** Errors matched by their exact name. */
const BY_NAME: Record<string, Explanation> = {
  'States.Timeout': {
    cause: { sv: 'Steget tog för lång tid och avbröts.', en: 'The step took too long and was stopped.' },
    advice: TRY_AGAIN,
  },
  'States.HeartbeatTimeout': {
    cause: { sv: 'Steget slutade svara och avbröts.', en: 'The step stopped responding and was stopped.' },
    advice: TRY_AGAIN,
  },
  'States.TaskFailed': {
    cause: { sv: 'Steget misslyckades.', en: 'The step failed.' },
    advice: TRY_AGAIN,
  },
  'States.Runtime': {
    cause: {
      sv: 'Arbetsflödet fick uppgifter det inte kunde hantera (ett programfel).',
      en: 'The workflow received data it could not handle (a program error).',
    },
    advice: PROGRAM_ERROR,
  },
  'States.DataLimitExceeded': {
    cause: {
      sv: 'Uppgifterna i steget blev för stora för arbetsflödet (ett programfel).',
      en: 'The data in the step grew too large for the workflow (a program error).',
    },
    advice: PROGRAM_ERROR,
  },
  'States.Permissions': {
    cause: {
      sv: 'Systemet saknade behörighet att utföra steget.',
      en: 'The system lacked permission to carry out the step.',
    },
    advice: PROGRAM_ERROR,
  },
  'Referral.Transient': {
    cause: {
      sv: 'En tjänst som systemet använder (till exempel e-post eller databasen) svarade inte, trots flera försök.',
      en: 'A service the system uses (such as email or the database) did not respond, even after several attempts.',
    },
    advice: TRY_AGAIN,
  },
  'Referral.InvalidTaskInput': {
    cause: {
      sv: 'Steget fick ofullständiga uppgifter (ett programfel).',
      en: 'The step received incomplete data (a program error).',
    },
    advice: PROGRAM_ERROR,
  },
  'Referral.TooManyInformationRequests': {
    cause: {
      sv: 'Bedömningen fick fler begäranden om komplettering än en anmälan får ha (ett programfel).',
      en: 'Screening received more information requests than a referral may have (a program error).',
    },
    advice: PROGRAM_ERROR,
  },
  'Referral.NotFound': {
    cause: {
      sv: 'Ärendets uppgifter hittades inte när steget kördes.',
      en: "The referral's data was not found when the step ran.",
    },
    advice: PROGRAM_ERROR,
  },
};

/** Families of errors matched by prefix. */
const BY_PREFIX: [string, Explanation][] = [
  [
    'Lambda.',
    {
      cause: {
        sv: 'Molntjänsten som kör steget svarade inte, trots flera försök.',
        en: 'The cloud service that runs the step did not respond, even after several attempts.',
      },
      advice: TRY_AGAIN,
    },
  ],
];

const UNKNOWN: Explanation = {
  cause: { sv: 'Ett oväntat fel inträffade.', en: 'An unexpected error occurred.' },
  advice: TRY_AGAIN,
};

export function explainError(error: string): Explanation {
  if (Object.hasOwn(BY_NAME, error)) return BY_NAME[error]!;
  return BY_PREFIX.find(([prefix]) => error.startsWith(prefix))?.[1] ?? UNKNOWN;
}

/**
 * The sentence for a referral that needs attention: where it stopped, why, and what staff can do.
 * `resolved`: a retry was made since (the failure is history, so no advice).
 */
export function failureSentence(
  failure: { phase: Phase | string; error: string },
  lang: Language,
  resolved = false,
): string {
  const { cause, advice } = explainError(failure.error);
  const step = phaseStepName(failure.phase, lang);
  if (resolved)
    return lang === 'en'
      ? `The referral stopped at the step ${step} because of a technical failure. ${cause.en} It has been tried again since.`
      : `Ärendet stannade i steget ${step} på grund av ett tekniskt fel. ${cause.sv} Det har försökts igen sedan dess.`;
  return lang === 'en'
    ? `The referral stopped at the step ${step} because of a technical failure. ${cause.en} ${advice.en}`
    : `Ärendet stannade i steget ${step} på grund av ett tekniskt fel. ${cause.sv} ${advice.sv}`;
}

/** A short phrase for lists: "tekniskt fel i steget Bedömning". */
export function failureHint(failure: { phase: Phase | string }, lang: Language): string {
  const step = phaseStepName(failure.phase, lang);
  return lang === 'en' ? `technical failure at the step ${step}` : `tekniskt fel i steget ${step}`;
}

export const TECHNICAL_INFORMATION: Label = { sv: 'Teknisk information', en: 'Technical information' };
