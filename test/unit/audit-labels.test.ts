/**
 * The label catalogue: every audit action the code records has a Swedish and an English label in words,
 * the codes inside an event's detail are told in words, and nothing a person typed is rendered from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../functions/domain/audit-actions';
import { OUTCOMES, PHASES } from '../../functions/domain/referral';
import {
  ACTION_LABELS,
  actionLabel,
  describeDetail,
  LINK_OUTCOME_LABELS,
  OUTCOME_LABELS,
  PHASE_LABELS,
  PHASE_STEP_NAMES,
  staffLanguage,
  STATUS_LABELS,
} from '../../functions/web/audit-labels';
import { explainError, failureSentence } from '../../functions/web/failure-messages';

const CODE = /^[a-z]+(-[a-z]+)+$/;
const LANGS = ['sv', 'en'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * The `action` literals in the functions' source that are not a form's answer (`z.literal` in steps, maybe
 * marked `@__PURE__` so that bundles which never parse it drop it).
 */
function recordedActions(): Set<string> {
  const files = sourceFiles('functions');
  const formActions = new Set<string>();
  for (const f of files)
    for (const m of readFileSync(f, 'utf8').matchAll(
      /action: (?:\/\* @__PURE__ \*\/ )?z\.literal\('([^']+)'/g,
    ))
      formActions.add(m[1]!);
  const found = new Set<string>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    // `action: 'x'`, and `action: cond ? 'x' : 'y'` (not an object such as an email's `action: { label }`).
    for (const m of text.matchAll(/\baction:\s*([^,\n{]*)/g))
      for (const lit of m[1]!.matchAll(/'([^']+)'/g)) if (!formActions.has(lit[1]!)) found.add(lit[1]!);
    for (const m of text.matchAll(/auditRedemption\(\s*deps,[^,]+,[^,]+,\s*'([^']+)'/g)) found.add(m[1]!);
  }
  return found;
}

describe('audit action labels', () => {
  it('every action has a Swedish and an English label in words, neither its code', () => {
    for (const action of AUDIT_ACTIONS)
      for (const lang of LANGS) {
        const label = ACTION_LABELS[action]?.[lang];
        expect(label, `${action} (${lang})`).toBeTruthy();
        expect(label, `${action} (${lang})`).not.toBe(action);
        expect(label, `${action} (${lang})`).not.toMatch(CODE);
        expect(label.includes(action), `${action} (${lang})`).toBe(false);
      }
    for (const action of AUDIT_ACTIONS)
      expect(ACTION_LABELS[action].sv, action).not.toBe(ACTION_LABELS[action].en);
  });

  it('the list is exactly the actions the code records: none missing, none stale', () => {
    const found = recordedActions();
    expect(found.size).toBeGreaterThan(20);
    expect([...found].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    expect(AUDIT_ACTIONS.filter((a) => !found.has(a))).toEqual([]);
  });

  it('phases, statuses and outcomes have labels in both languages, none a code', () => {
    const tables = [PHASE_LABELS, PHASE_STEP_NAMES, STATUS_LABELS, OUTCOME_LABELS, LINK_OUTCOME_LABELS];
    for (const table of tables)
      for (const [code, label] of Object.entries(table))
        for (const lang of LANGS) {
          expect(label[lang], `${code} (${lang})`).toBeTruthy();
          expect(label[lang], `${code} (${lang})`).not.toMatch(CODE);
        }
    for (const phase of PHASES) expect(PHASE_LABELS[phase]).toBeDefined();
    for (const outcome of OUTCOMES) expect(OUTCOME_LABELS[outcome]).toBeDefined();
  });

  it('an action no longer in the list (an old stored event) gets a plain word, not its code', () => {
    expect(actionLabel('some-old-action', 'sv')).toBe('Händelse');
    expect(actionLabel('some-old-action', 'en')).toBe('Event');
  });

  it('Swedish unless the session says English', () => {
    const session = { email: 'a@b.example', name: 'A', role: 'coordinator' as const, expiresAt: '' };
    expect(staffLanguage(session)).toBe('sv');
    expect(staffLanguage(undefined)).toBe('sv');
    expect(staffLanguage({ ...session, language: 'en' } as typeof session)).toBe('en');
  });
});

describe('event details in words', () => {
  it('tells the codes of a reminder, a closing, attendance and a link answer', () => {
    const reminder = {
      action: 'consent-reminder-sent' as const,
      detail: { custodian: '1', reminder: '2', round: '1' },
    };
    expect(describeDetail(reminder, 'sv')).toEqual(['vårdnadshavare 1', 'påminnelse 2', 'omgång 1']);
    expect(describeDetail(reminder, 'en')).toEqual(['custodian 1', 'reminder 2', 'round 1']);
    expect(
      describeDetail(
        { action: 'step-requested', detail: { step: 'consent', recipientRole: 'custodian', custodian: '2' } },
        'sv',
      ),
    ).toEqual(['samtycke', 'till vårdnadshavare 2']);
    const summary = {
      action: 'summary-sent' as const,
      detail: { format: 'weekend', scheduled: '4', attended: '0' },
    };
    expect(describeDetail(summary, 'sv')).toEqual(['stödhelg', 'närvarade 0 av 4 träffar']);
    expect(describeDetail(summary, 'en')).toEqual(['support weekend', 'attended 0 of 4 meetings']);
    expect(describeDetail({ action: 'referral-closed', detail: { outcome: 'no-group' } }, 'sv')).toEqual([
      'ingen grupp kunde erbjudas',
    ]);
    expect(
      describeDetail({ action: 'attendance-recorded', detail: { meeting: '3', present: 'false' } }, 'en'),
    ).toEqual(['meeting 3', 'absent']);
    expect(
      describeDetail(
        { action: 'link-redeemed', detail: { step: 'screening', outcome: 'refused-expired' } },
        'sv',
      ),
    ).toEqual(['bedömning', 'nekad: länken har gått ut']);
    expect(
      describeDetail({ action: 'group-confirmed', detail: { groupId: 'G-123', format: 'weekend' } }, 'sv'),
    ).toEqual(['stödhelg']);
    expect(
      describeDetail({ action: 'no-group-in-time', detail: { ageBand: '10-12', waitedDays: '180' } }, 'sv'),
    ).toEqual(['åldersgrupp 10-12 år', 'efter 180 dagar i kön']);
    expect(
      describeDetail(
        { action: 'step-reminder-sent', detail: { step: 'group-assignment', reminder: '2' } },
        'en',
      ),
    ).toEqual(['group assignment', 'reminder 2']);
  });

  it("tells the coordinator's answer to a group proposal, what she changed and the figures she saw", () => {
    const event = {
      action: 'group-proposal-answered' as const,
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
        weekGroupSize: '0',
        weekArrivals: '1',
      },
    };
    expect(describeDetail(event, 'sv')).toEqual([
      'åldersgrupp 10-12 år',
      'stödhelg',
      'förslaget ändrades',
      'annat format',
      '1 barn togs bort',
      'föreslaget: veckogrupp, 5 barn',
      'valt: 4 barn',
      'längsta väntan 40 dagar, 47 om en vecka',
      'den som väntat längst: grupp om 5 nu, ingen grupp om en vecka',
    ]);
    expect(describeDetail({ ...event, detail: { choice: 'overruled', changes: 'waited' } }, 'en')).toEqual([
      'proposal overruled',
      'waits one more week',
    ]);
  });

  it('never renders free text, typed references, ids or error codes; an unknown code is left out', () => {
    const typed = {
      reason: 'Familjen flyttar till Göteborg',
      paperReference: 'Papper nr 4711',
      caseReference: 'SN 2017/123',
      groupId: 'G-SECRET',
      error: 'States.Timeout',
      outcome: 'something-new',
      step: 'not-a-step',
      ageBand: 'Zlatanina',
    };
    for (const action of AUDIT_ACTIONS)
      for (const lang of LANGS) {
        const text = describeDetail({ action, detail: typed }, lang).join(' ');
        for (const value of Object.values(typed)) expect(text, action).not.toContain(value);
      }
  });
});

describe('needs-attention in a sentence', () => {
  it('the common errors each have their own cause; an unknown one the generic sentence', () => {
    const generic = explainError('Something.Else');
    for (const error of [
      'States.Timeout',
      'States.TaskFailed',
      'States.Runtime',
      'Lambda.ServiceException',
      'Lambda.TooManyRequestsException',
      'Referral.Transient',
    ])
      expect(explainError(error).cause.sv, error).not.toBe(generic.cause.sv);
    expect(explainError('Error').cause.sv).toBe('Ett oväntat fel inträffade.');
  });

  it('says where it stopped, why and what to do, in Swedish or English, with no code', () => {
    const failure = { phase: 'screening', error: 'States.Timeout' };
    expect(failureSentence(failure, 'sv')).toBe(
      'Ärendet stannade i steget Bedömning på grund av ett tekniskt fel. Steget tog för lång tid och avbröts. ' +
        'Försök igen; om det händer igen, kontakta systemförvaltningen.',
    );
    expect(failureSentence(failure, 'en')).toBe(
      'The referral stopped at the step Screening because of a technical failure. The step took too long and ' +
        'was stopped. Try again; if it happens again, contact the system administrators.',
    );
    expect(failureSentence({ phase: 'consent', error: 'Lambda.Unknown' }, 'sv')).not.toContain('Lambda');
  });
});
