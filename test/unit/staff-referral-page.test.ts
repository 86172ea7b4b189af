/**
 * The staff referral page speaks the domain: a full lifecycle's timeline shows no audit, phase, status or
 * outcome code as text, and a referral that needs attention says in a sentence what happened and what to
 * do, the error code folded away in "Teknisk information".
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditAction } from '../../functions/domain/audit-actions';
import { OUTCOMES, PHASES, type Referral } from '../../functions/domain/referral';
import type { AuditEvent, StaffSession } from '../../functions/ports';
import { overviewPage, referralPage } from '../../functions/phases/staff/pages';
import { timeline } from '../../functions/phases/staff/referral-parts';
import { visibleText } from '../support/page-text';

const session: StaffSession = {
  email: 'samordnare@bris.example',
  name: 'Sam Samordnare',
  role: 'coordinator',
  expiresAt: '2027-01-01T00:00:00.000Z',
};

const referral: Referral = {
  referralId: 'R-ABCD-EFGH',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: '2017-01-09T09:00:00.000Z',
  updatedAt: '2017-06-01T09:00:00.000Z',
  phase: 'closed',
  status: 'closed',
  outcome: 'completed',
  child: {
    firstName: 'Fanny',
    birthDate: '2006-03-12',
    ageAtReferral: 10,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'f'.repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [
    { number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' },
    { number: 2, name: 'Per', language: 'sv' },
  ],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: '2017-01-09T09:00:00.000Z' },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: true,
};

const system = { role: 'system' as const };
const siv = { role: 'social-worker' as const, name: 'Siv Socialsekreterare' };
const sam = { role: 'coordinator' as const, name: 'Sam Samordnare' };
const vera = { role: 'custodian' as const, name: 'Vera' };
const leader = { role: 'group-leader' as const, name: 'Gun Gruppledare' };
const carer = { role: 'carer' as const, name: 'Fia Familjehem' };

/** One referral from submission to erasure, with a failure and retry on the way: every action at least once. */
const lifecycle: Omit<AuditEvent, 'referralId' | 'at'>[] = [
  {
    actor: siv,
    action: 'referral-submitted',
    phase: 'intake',
    detail: { district: 'Farsta', custodians: '2', consentBasis: 'custodians' },
  },
  { actor: siv, action: 'child-wish-recorded', phase: 'intake' },
  { actor: system, action: 'intake-accepted', phase: 'intake' },
  {
    actor: system,
    action: 'step-requested',
    phase: 'screening',
    detail: { step: 'screening', recipientRole: 'coordinator' },
  },
  { actor: system, action: 'step-failed', phase: 'screening', detail: { error: 'States.Timeout' } },
  { actor: sam, action: 'retry-requested', phase: 'screening', detail: { attempt: '1' } },
  { actor: system, action: 'step-resumed', phase: 'screening', detail: { step: 'screening' } },
  { actor: sam, action: 'link-opened', detail: { step: 'screening', outcome: 'refused-used' } },
  {
    actor: sam,
    action: 'link-redeemed',
    phase: 'screening',
    detail: { step: 'screening', outcome: 'approve' },
  },
  { actor: system, action: 'step-answer-replayed', phase: 'screening', detail: { step: 'screening' } },
  {
    actor: sam,
    action: 'information-requested',
    phase: 'screening',
    detail: { items: 'child-needs,everyday-life', round: '1' },
  },
  {
    actor: sam,
    action: 'link-redeemed',
    phase: 'screening',
    detail: { step: 'screening', outcome: 'request-information' },
  },
  { actor: siv, action: 'information-provided', phase: 'screening', detail: { round: '1' } },
  { actor: siv, action: 'information-not-available', phase: 'screening', detail: { round: '2' } },
  {
    actor: system,
    action: 'information-request-unanswered',
    phase: 'screening',
    detail: { round: '1' },
  },
  { actor: sam, action: 'information-request-ended', phase: 'screening', detail: { round: '2' } },
  { actor: system, action: 'consent-round-started', phase: 'consent', detail: { round: '1' } },
  {
    actor: system,
    action: 'step-requested',
    phase: 'consent',
    detail: { step: 'consent', recipientRole: 'custodian', custodian: '1' },
  },
  {
    actor: system,
    action: 'consent-reminder-sent',
    phase: 'consent',
    detail: { custodian: '1', reminder: '1', round: '1' },
  },
  {
    actor: system,
    action: 'step-reminder-sent',
    phase: 'consent',
    detail: { step: 'consent-escalation', reminder: '1' },
  },
  {
    actor: system,
    action: 'step-escalated',
    phase: 'consent',
    detail: { step: 'consent-escalation', escalatedTo: 'coordinator' },
  },
  {
    actor: system,
    action: 'step-deadline-passed',
    phase: 'consent',
    detail: { step: 'consent-escalation' },
  },
  {
    actor: system,
    action: 'email-undeliverable',
    detail: { recipientRole: 'custodian', custodian: '2', emailEvent: 'bounce' },
  },
  {
    actor: siv,
    action: 'custodian-email-replaced',
    phase: 'consent',
    detail: { custodian: '2' },
  },
  {
    actor: system,
    action: 'consent-deadline-passed',
    phase: 'consent',
    detail: { custodian: '2', round: '1' },
  },
  {
    actor: siv,
    action: 'consent-deadline-extended',
    phase: 'consent',
    detail: { round: '2', deadline: '2017-02-20T23:00:00.000Z' },
  },
  { actor: vera, action: 'link-renewal', detail: { step: 'consent', outcome: 'renewed', custodian: '1' } },
  { actor: vera, action: 'consent-given', phase: 'consent', detail: { custodian: '1' } },
  {
    actor: siv,
    action: 'consent-refused',
    phase: 'consent',
    detail: { custodian: '2', paperReference: 'Pappersblankett 7' },
  },
  {
    actor: siv,
    action: 'legal-basis-recorded',
    phase: 'consent',
    detail: { basis: 'committee-decision', caseReference: 'SN 2017/123', decisionDate: '2017-02-14' },
  },
  { actor: siv, action: 'consent-escalation-closed', phase: 'consent' },
  {
    actor: system,
    action: 'waiting-for-group',
    phase: 'group-assignment',
    detail: { ageBand: '10-12', proposal: 'weekend' },
  },
  {
    actor: sam,
    action: 'group-proposal-answered',
    phase: 'group-assignment',
    detail: {
      ageBand: '10-12',
      choice: 'overruled',
      changes: 'format,removed',
      proposedFormat: 'weekly',
      proposedSize: '5',
      format: 'weekend',
      chosenSize: '4',
      removed: '1',
      added: '0',
      oldestWaitDays: '40',
      groupSizeNow: '5',
      weekOldestWaitDays: '47',
      weekGroupSize: '6',
      weekArrivals: '1',
    },
  },
  {
    actor: sam,
    action: 'group-confirmed',
    phase: 'group-assignment',
    detail: { groupId: 'G-1', format: 'weekend' },
  },
  {
    actor: leader,
    action: 'home-visit-times-offered',
    phase: 'group-assignment',
    detail: { times: '2' },
  },
  { actor: carer, action: 'home-visit-other-times-asked', phase: 'group-assignment' },
  { actor: carer, action: 'home-visit-time-chosen', phase: 'group-assignment' },
  { actor: leader, action: 'home-visit-done', phase: 'group-assignment', detail: { groupId: 'G-1' } },
  { actor: leader, action: 'home-visit-declined', phase: 'group-assignment', detail: { groupId: 'G-1' } },
  { actor: system, action: 'seat-confirmed', phase: 'group-assignment', detail: { groupId: 'G-1' } },
  { actor: system, action: 'freed-seat-offered', phase: 'group-assignment', detail: { groupId: 'G-2' } },
  { actor: system, action: 'no-group-in-time', phase: 'group-assignment' },
  {
    actor: leader,
    action: 'attendance-recorded',
    phase: 'sessions',
    detail: { meeting: '1', present: 'true' },
  },
  { actor: system, action: 'attendance-not-recorded', phase: 'sessions', detail: { meeting: '2' } },
  { actor: system, action: 'group-step-failed', detail: { error: 'States.TaskFailed' } },
  { actor: system, action: 'follow-up-sent', phase: 'follow-up', detail: { round: 'first' } },
  { actor: system, action: 'summary-sent', phase: 'follow-up' },
  { actor: system, action: 'follow-up-sent', phase: 'follow-up', detail: { round: 'later' } },
  {
    actor: system,
    action: 'follow-up-reminder-sent',
    phase: 'follow-up',
    detail: { round: 'later', reminder: '1' },
  },
  {
    actor: system,
    action: 'questionnaire-not-answered',
    phase: 'follow-up',
    detail: { round: 'later', respondent: 'child' },
  },
  { actor: vera, action: 'referral-withdrawn', phase: 'sessions', detail: { reason: 'Familjen flyttar' } },
  { actor: system, action: 'group-seat-freed', detail: { groupId: 'G-1' } },
  { actor: system, action: 'referral-closed', phase: 'closed', detail: { outcome: 'completed' } },
  { actor: system, action: 'personal-data-erased', phase: 'closed' },
  { actor: { role: 'unknown' }, action: 'sign-in-requested', detail: { outcome: 'sent' } },
  {
    actor: { role: 'unknown', name: 'Sam Samordnare' },
    action: 'signed-in',
    detail: { role: 'coordinator' },
  },
];
const events: AuditEvent[] = lifecycle.map((e, i) => ({
  ...e,
  referralId: referral.referralId,
  at: new Date(Date.parse('2017-01-09T09:00:00.000Z') + i * 86_400_000).toISOString(),
}));

/** The same without what is folded away in <details>. */
const unfoldedText = (page: string) => visibleText(page.replace(/<details>[\s\S]*?<\/details>/g, ' '));
const asWord = (code: string) => new RegExp(`(?<![\\w-])${code.replace(/[.]/g, '\\.')}(?![\\w-])`);

describe('the staff referral page speaks the domain', () => {
  it('the lifecycle covers every action', () => {
    expect(AUDIT_ACTIONS.filter((a: AuditAction) => !events.some((e) => e.action === a))).toEqual([]);
  });

  it('a full lifecycle shows no action, phase, status or outcome code as text', () => {
    const text = visibleText(referralPage(session, referral, events));
    const codes = [
      ...AUDIT_ACTIONS,
      ...PHASES,
      ...OUTCOMES,
      'active',
      'needs-attention',
      'social-worker',
      'group-leader',
      'coordinator',
      'custodian',
      'carer',
      'child',
      'system',
      'weekly',
      'weekend',
      'approve',
      'request-information',
      'child-needs',
      'everyday-life',
      'renewed',
      'refused-used',
    ];
    for (const code of codes) expect(text, code).not.toMatch(asWord(code));
    expect(text).toContain(
      'Påminnelse om samtycke skickad: vårdnadshavare 1, påminnelse 1, omgång 1 (Samtycke)',
    );
    expect(text).toContain('Avslutad, genomförd');
    // What an information request asked for, from the closed list, in words.
    expect(text).toContain(
      'Komplettering begärd av socialsekreteraren: omgång 1, saknas: barnets situation och behov, skola och vardag (när barnet kan delta i träffar) (Bedömning)',
    );
    expect(text).toContain(
      'Frågorna besvarades inte (det är frivilligt att svara): senare utvärderingen, barnets frågor (Uppföljning)',
    );
  });

  it('shows no free text, typed reference or id from an event', () => {
    const text = visibleText(referralPage(session, referral, events));
    for (const typed of ['Familjen flyttar', 'Pappersblankett 7', 'SN 2017/123', 'G-1', 'G-2'])
      expect(text, typed).not.toContain(typed);
  });

  it('in English for a person who chose English: the whole page, no code and no Swedish label', () => {
    const page = referralPage({ ...session, language: 'en' }, referral, events);
    expect(page).toContain('<html lang="en">');
    const text = visibleText(page.replace(/<a [^>]*hreflang="sv"[^>]*>Svenska<\/a>/, ' '));
    // Codes that are English words ("completed", "screening") may be the English label; the others not.
    const codes = [
      ...AUDIT_ACTIONS,
      ...PHASES,
      ...OUTCOMES,
      'needs-attention',
      'social-worker',
      'group-leader',
    ];
    for (const code of codes.filter((c) => c.includes('-'))) expect(text, code).not.toMatch(asWord(code));
    // Every Swedish label has å, ä or ö, or is one of these; the fixture's names and places have none.
    expect(text.match(/[åäöÅÄÖ]\S*/g) ?? []).toEqual([]);
    for (const word of ['Tidslinje', 'Anteckningar', 'Fas', 'Barn', 'Avslutad', 'genomförd', 'systemet'])
      expect(text, word).not.toMatch(asWord(word));
    expect(text).toContain('Consent reminder sent: custodian 1, reminder 1, round 1 (Consent)');
    expect(text).toContain('Closed, completed');
    expect(text).toContain('Timeline');
  });

  it('in English too, no action code', () => {
    const text = visibleText(timeline(events, 'en').value);
    for (const code of AUDIT_ACTIONS) expect(text, code).not.toMatch(asWord(code));
    expect(text).toContain('Consent reminder sent: custodian 1, reminder 1, round 1 (Consent)');
  });
});

describe('needs-attention on the staff page', () => {
  const stuck: Referral = {
    ...referral,
    phase: 'screening',
    status: 'needs-attention',
    outcome: undefined,
    failure: { phase: 'screening', error: 'States.Timeout', at: '2017-01-10T09:00:00.000Z' },
  };

  it('says in Swedish what happened and what to do; the error code is folded away', () => {
    const page = referralPage(session, stuck, events.slice(0, 5));
    const text = unfoldedText(page);
    expect(text).toContain(
      'Ärendet stannade i steget Bedömning på grund av ett tekniskt fel. Steget tog för lång tid och avbröts. ' +
        'Försök igen; om det händer igen, kontakta systemförvaltningen.',
    );
    expect(text).toContain('Försök igen från steget Bedömning');
    expect(text).not.toContain('States.Timeout');
    expect(page).toMatch(
      /<details>\s*<summary>Teknisk information<\/summary>\s*<p><code>States\.Timeout<\/code><\/p>\s*<\/details>/,
    );
  });

  it('the overview says "Behöver åtgärd" with the step in words, no error code', () => {
    const page = overviewPage(
      session,
      [
        {
          referralId: stuck.referralId,
          district: 'Farsta',
          childLabel: 'Fanny',
          age: 10,
          phase: 'screening',
          status: 'needs-attention',
          createdAt: stuck.createdAt,
          failure: { phase: 'screening', error: 'States.Timeout' },
        },
      ],
      ['Farsta'],
      {},
    );
    const text = visibleText(page);
    expect(text).toContain('Behöver åtgärd (tekniskt fel i steget Bedömning)');
    expect(text).not.toContain('States.Timeout');
    expect(text).not.toMatch(asWord('needs-attention'));
  });

  it('after a retry the failure is told as history, without advice', () => {
    const text = unfoldedText(referralPage(session, { ...stuck, status: 'active' }, events.slice(0, 6)));
    expect(text).toContain('Ärendet stannade i steget Bedömning på grund av ett tekniskt fel.');
    expect(text).toContain('Det har försökts igen sedan dess.');
    expect(text).not.toContain('Försök igen från');
  });
});
