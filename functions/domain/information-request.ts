/**
 * An information request at screening: the coordinator ticks what is missing from a closed list (and may
 * add a note), the referring social worker answers with a text or says she cannot add more, and the
 * referral is screened anew. The list is closed so that an email can name what is asked in words without
 * quoting anything a person typed; the note and the answer are free text, kept in the table and shown
 * only on pages (the social worker's answer page, the signed-in staff pages), never mailed.
 */
import type { Actor, Language } from './referral';

/** What the coordinator may ask for: facts the referral form does not carry, or carries too briefly. */
export const INFORMATION_ITEMS = [
  'child-needs',
  'placement',
  'custodian-contact',
  'everyday-life',
  'child-wish',
  'other-support',
] as const;
export type InformationItem = (typeof INFORMATION_ITEMS)[number];

export const INFORMATION_ITEM_LABELS: Record<InformationItem, Record<Language, string>> = {
  'child-needs': { sv: 'Barnets situation och behov', en: "The child's situation and needs" },
  placement: {
    sv: 'Placeringen (hur länge barnet har bott i familjehemmet och hur länge placeringen väntas vara)',
    en: 'The placement (how long the child has lived in the family home and is expected to stay)',
  },
  'custodian-contact': {
    sv: 'Vårdnadshavarnas kontaktuppgifter och hur de kan nås',
    en: "The custodians' contact details and how to reach them",
  },
  'everyday-life': {
    sv: 'Skola och vardag (när barnet kan delta i träffar)',
    en: 'School and everyday life (when the child can attend meetings)',
  },
  'child-wish': {
    sv: 'Hur barnet har fått veta om gruppen och vad barnet själv vill',
    en: 'How the child was told about the group and what the child wants',
  },
  'other-support': {
    sv: 'Annat stöd som barnet har eller har haft',
    en: 'Other support the child has or has had',
  },
};

/**
 * At most this many requests per referral: a third is refused when the coordinator asks for it, and the
 * state machine's loop counter stops at it (workflows/execution-bounds.ts counts the screening rounds).
 */
export const MAX_INFORMATION_REQUESTS = 2;

/**
 * How a request ended: the social worker answered, or said she cannot add more; nobody answered by the
 * deadline; or the coordinator, told that it was overdue, chose to screen with what she has.
 */
export type InformationRequestOutcome = 'answered' | 'cannot-add' | 'no-answer' | 'screened-without';

export interface InformationRequest {
  /** 1 for the first request of the referral, 2 for the second. */
  number: number;
  items: InformationItem[];
  /** The coordinator's note: free text, never mailed. */
  note?: string;
  requestedAt: string;
  requestedBy: Actor;
  /** The social worker's answer: free text, never mailed. */
  answer?: string;
  outcome?: InformationRequestOutcome;
  closedAt?: string;
  closedBy?: Actor;
}

/** The referral's latest request, if any. */
export function latestInformationRequest(r: {
  informationRequests?: InformationRequest[];
}): InformationRequest | undefined {
  return r.informationRequests?.at(-1);
}

/** The items of a request in words, in the list's order. */
export function informationItemWords(items: readonly string[], lang: Language): string[] {
  return INFORMATION_ITEMS.filter((i) => items.includes(i)).map((i) => INFORMATION_ITEM_LABELS[i][lang]);
}
