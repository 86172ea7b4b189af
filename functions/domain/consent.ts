/** Consent rules: rounds of asking with reminders and a deadline, who has answered, and the legal basis. */
import type { ConsentSettings, Partnership } from './partnership';
import type { Actor, ConsentRound, Custodian, Language, LegalBasis } from './referral';

const DAY = 86_400_000;

export function newConsentRound(
  number: number,
  now: Date,
  settings: ConsentSettings,
  lengthDays = settings.deadlineDays,
): ConsentRound {
  const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  return {
    number,
    startedAt: now.toISOString(),
    // An extension is shorter than the first round: its reminders are kept only when they fall before its deadline.
    reminderAt: settings.reminderDays.filter((d) => d < lengthDays).map(at),
    deadlineAt: at(lengthDays),
  };
}

export type ConsentEvent = { kind: 'reminder'; index: number; at: Date } | { kind: 'deadline'; at: Date };

/** The next thing that happens to a silent custodian in this round. */
export function nextConsentEvent(round: ConsentRound, remindersSent: number): ConsentEvent {
  const reminder = round.reminderAt[remindersSent];
  if (reminder !== undefined && reminder < round.deadlineAt)
    return { kind: 'reminder', index: remindersSent, at: new Date(reminder) };
  return { kind: 'deadline', at: new Date(round.deadlineAt) };
}

/** Whole seconds until an event, at least 1 (a task timeout cannot be 0). */
export function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}

export type ConsentState = 'all-given' | 'refused' | 'pending';

export function consentState(custodians: Custodian[]): ConsentState {
  if (custodians.some((c) => c.consent && !c.consent.given)) return 'refused';
  return custodians.every((c) => c.consent?.given) ? 'all-given' : 'pending';
}

export function custodiansAwaitingConsent(custodians: Custodian[]): Custodian[] {
  return custodians.filter((c) => !c.consent);
}

export function childMayConsentAlone(p: Partnership, age: number): boolean {
  return p.consent.childConsent.allowed && age >= p.consent.childConsent.fromAge;
}

export function custodianConsentBasis(at: string): LegalBasis {
  return {
    kind: 'custodian-consent',
    citation: 'Samtycke från samtliga vårdnadshavare',
    recordedBy: { role: 'system' },
    at,
  };
}

export function committeeDecisionBasis(
  p: Partnership,
  decision: { decisionDate: string; caseReference: string },
  recordedBy: Actor,
  at: string,
): LegalBasis {
  return {
    kind: 'committee-decision',
    citation: p.consent.committeeDecisionCitation,
    ...decision,
    recordedBy,
    at,
  };
}

export function childConsentBasis(
  p: Partnership,
  childAge: number,
  recordedBy: Actor,
  at: string,
): LegalBasis {
  return { kind: 'child-consent', citation: p.consent.childConsent.citation, childAge, recordedBy, at };
}

const BASIS_TEXT: Record<LegalBasis['kind'], Record<Language, string>> = {
  'custodian-consent': { sv: 'samtycke från samtliga vårdnadshavare', en: 'consent from every custodian' },
  'committee-decision': { sv: 'socialnämndens beslut', en: "the Social Welfare Committee's decision" },
  'child-consent': { sv: 'barnets eget samtycke', en: "the child's own consent" },
};

/** The legal basis in words, for staff pages; the citation is the law's own (Swedish) reference. */
export function describeLegalBasis(b: LegalBasis, lang: Language = 'sv'): string {
  const en = lang === 'en';
  const who = b.recordedBy.name ? `, ${en ? 'recorded by' : 'registrerat av'} ${b.recordedBy.name}` : '';
  const extra =
    b.kind === 'committee-decision'
      ? ` (${en ? 'decided' : 'beslut'} ${b.decisionDate}, ${b.caseReference})`
      : '';
  return `${BASIS_TEXT[b.kind][lang]}${extra} – ${b.citation}${who}`;
}
