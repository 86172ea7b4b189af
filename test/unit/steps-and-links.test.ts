import { describe, expect, it } from 'vitest';
import {
  hashLinkToken,
  LINK_TOKEN_PATTERN,
  linkUrl,
  newLinkToken,
} from '../../functions/adapters/link-tokens';
import { mask } from '../../functions/adapters/logger';
import { readFileSync } from 'node:fs';
import {
  HUMAN_STEPS,
  LINK_ACTIONS,
  STEP_PHASE,
  type LinkPurpose,
  type RecipientRole,
  type StepName,
} from '../../functions/domain/steps';
import { withdrawalAnswer } from '../../functions/phases/closure/withdrawal';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import { LINK_MODULES } from '../../functions/phases/link-modules';
import { html } from '../../functions/web/html';

describe('link tokens', () => {
  it('have 256 bits of randomness, a URL-safe form and a stored hash that differs from the token', () => {
    const a = newLinkToken();
    const b = newLinkToken();
    expect(a.token).toMatch(LINK_TOKEN_PATTERN);
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashLinkToken(a.token));
    expect(a.hash).not.toContain(a.token);
  });

  it('builds URLs from the configured base URL only', () => {
    expect(
      linkUrl('https://stodgrupper.example', 'abc', { referralId: 'R-AB12-CD34', step: 'consent' }),
    ).toBe('https://stodgrupper.example/links/abc?for=R-AB12-CD34&purpose=consent');
  });
});

/** The schema a link's POST is checked with: the step module's, or the link purpose's (withdrawal). */
const schemaFor = (purpose: StepName | 'withdrawal', role: RecipientRole) =>
  purpose === 'withdrawal' ? withdrawalAnswer : HUMAN_STEP_MODULES[purpose].answer!.schema(role);
const resolutionOf = (action: { action: string; reason?: string }) => {
  const step = action.action === 'decline' ? 'screening' : 'consent';
  return HUMAN_STEP_MODULES[step].answer!.resolution(action);
};

describe('the human-step registry', () => {
  it('has one module per step, named as the step, in the phase of the step', () => {
    for (const step of HUMAN_STEPS) {
      expect(HUMAN_STEP_MODULES[step].name, step).toBe(step);
      expect(HUMAN_STEP_MODULES[step].phase, step).toBe(STEP_PHASE[step]);
    }
    expect(Object.keys(HUMAN_STEP_MODULES).sort()).toEqual([...HUMAN_STEPS].sort());
  });

  it('silent waits take no answer through a link; the others declare one', () => {
    expect(HUMAN_STEP_MODULES['group-assignment'].answer).toBeUndefined();
    expect(HUMAN_STEP_MODULES.sessions.answer).toBeUndefined();
    for (const step of ['screening', 'information-request', 'consent', 'consent-escalation'] as const)
      expect(HUMAN_STEP_MODULES[step].answer, step).toBeDefined();
  });
});

describe('the link-module registry', () => {
  const purposes: LinkPurpose[] = [...HUMAN_STEPS, ...LINK_ACTIONS];

  it('has one module per link purpose, named as the purpose; a step link is in its step phase', () => {
    expect(Object.keys(LINK_MODULES).sort()).toEqual([...purposes].sort());
    for (const purpose of purposes) expect(LINK_MODULES[purpose].purpose, purpose).toBe(purpose);
    for (const step of HUMAN_STEPS) expect(LINK_MODULES[step].phase, step).toBe(STEP_PHASE[step]);
  });

  it('every link that is not a wait says who answers it, and how: a form and a page, its own view, or elsewhere', () => {
    for (const purpose of LINK_ACTIONS) {
      const module = LINK_MODULES[purpose];
      expect(module.answeredBy?.length, purpose).toBeGreaterThan(0);
      // A form needs the page that shows it.
      if (module.answer) expect(module.page, purpose).toBeDefined();
    }
    expect(LINK_MODULES.withdrawal.answer).toBeDefined();
    expect(LINK_MODULES.evaluation.answer).toBeDefined();
    expect(LINK_MODULES['group-proposal'].own).toBeDefined();
    expect(LINK_MODULES.attendance.own).toBeDefined();
    // Answered on the staff sign-in page, not at /links.
    expect(LINK_MODULES['sign-in'].answer ?? LINK_MODULES['sign-in'].own).toBeUndefined();
  });

  it('only a step that mails its link may renew it; withdrawal, questionnaires and the pool may not', () => {
    for (const step of HUMAN_STEPS)
      expect(!!LINK_MODULES[step].renew, step).toBe(!!HUMAN_STEP_MODULES[step].email);
    for (const purpose of LINK_ACTIONS) expect(LINK_MODULES[purpose].renew, purpose).toBeUndefined();
  });

  it('the link engine and the link pages name no purpose: they dispatch on the module', () => {
    const quoted = new RegExp(`'(${purposes.join('|')})'`);
    for (const file of [
      'functions/phases/links/link-engine.ts',
      'functions/web/pages/link-pages.ts',
      'functions/kernel/link-module.ts',
      'functions/kernel/step-answers.ts',
    ]) {
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/\.step\s*[!=]==?/);
      expect(source, file).not.toMatch(quoted);
    }
  });
});

describe('step actions', () => {
  it('requires a reason to decline', () => {
    const r = schemaFor('screening', 'coordinator').safeParse({ action: 'decline', reason: '' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['reason']);
  });

  it('refuses an identity number in every free-text field of a link, saying why', () => {
    const id = '150312-1236';
    const cases = [
      schemaFor('screening', 'coordinator').safeParse({ action: 'decline', reason: `Gäller ${id}` }),
      schemaFor('withdrawal', 'custodian').safeParse({
        action: 'withdraw',
        reason: `Barnet ${id} flyttar`,
      }),
      schemaFor('consent', 'social-worker').safeParse({
        action: 'consent',
        paperReference: `Blankett ${id}`,
      }),
      schemaFor('consent-escalation', 'social-worker').safeParse({
        action: 'committee-decision',
        decisionDate: '2026-11-20',
        caseReference: `SN ${id}`,
      }),
      schemaFor('screening', 'coordinator').safeParse({
        action: 'request-information',
        'item-child-needs': 'on',
        note: `Gäller ${id}`,
      }),
      schemaFor('information-request', 'social-worker').safeParse({
        action: 'add-information',
        answer: `Barnet ${id} går i skolan.`,
      }),
    ];
    for (const r of cases) {
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/^Skriv inte personnummer här\./);
    }
    // A street address is a placement detail: refused too, with its own reason; a plain reason goes through.
    const address = schemaFor('screening', 'coordinator').safeParse({
      action: 'decline',
      reason: 'Bor på Storgatan 12.',
    });
    expect(address.error?.issues[0]?.message).toMatch(/^Skriv inte adresser här\./);
    expect(
      schemaFor('screening', 'coordinator').safeParse({
        action: 'decline',
        reason: 'Barnet har redan stöd i en annan grupp.',
      }).success,
    ).toBe(true);
  });

  it("an information request's answers depend on who answers: the coordinator only ends it", () => {
    const sw = schemaFor('information-request', 'social-worker');
    const coordinator = schemaFor('information-request', 'coordinator');
    expect(sw.safeParse({ action: 'cannot-add' }).success).toBe(true);
    expect(sw.safeParse({ action: 'screen-now' }).success).toBe(false);
    expect(
      sw.safeParse({ action: 'add-information', answer: 'x'.repeat(3001) }).error?.issues[0]?.path,
    ).toEqual(['answer']);
    expect(coordinator.safeParse({ action: 'screen-now' }).success).toBe(true);
    expect(coordinator.safeParse({ action: 'add-information', answer: 'Ett svar.' }).success).toBe(false);
  });

  it('refuses an action that belongs to another step', () => {
    expect(schemaFor('consent', 'custodian').safeParse({ action: 'approve' }).success).toBe(false);
    expect(schemaFor('screening', 'coordinator').safeParse({ action: 'consent' }).success).toBe(false);
    expect(schemaFor('withdrawal', 'custodian').safeParse({ action: 'consent' }).success).toBe(false);
  });

  it('a paper consent recorded by the social worker needs a reference to the signed form', () => {
    expect(schemaFor('consent', 'custodian').safeParse({ action: 'consent' }).success).toBe(true);
    const r = schemaFor('consent', 'social-worker').safeParse({ action: 'consent' });
    expect(r.error?.issues[0]?.path).toEqual(['paperReference']);
    expect(
      schemaFor('consent', 'social-worker').safeParse({
        action: 'consent',
        paperReference: 'Dok 2026-114',
      }).success,
    ).toBe(true);
  });

  it('a committee decision needs a real date and a case reference', () => {
    const s = schemaFor('consent-escalation', 'social-worker');
    expect(
      s.safeParse({ action: 'committee-decision', decisionDate: '2026-02-30', caseReference: 'SN 2026/12' })
        .success,
    ).toBe(false);
    expect(
      s.safeParse({ action: 'committee-decision', decisionDate: '2026-11-20', caseReference: '' }).success,
    ).toBe(false);
    expect(
      s.safeParse({ action: 'committee-decision', decisionDate: '2026-11-20', caseReference: 'SN 2026/12' })
        .success,
    ).toBe(true);
  });

  it('maps negative answers to workflow errors and carries no free text', () => {
    expect(resolutionOf({ action: 'decline', reason: 'Barnet bor utanför Stockholm' })).toEqual({
      kind: 'failure',
      error: 'Referral.Declined',
      cause: 'declined-at-screening',
    });
    expect(resolutionOf({ action: 'refuse' })).toMatchObject({
      kind: 'failure',
      error: 'Referral.ConsentRefused',
    });
  });
});

describe('html and logs', () => {
  it('escapes interpolated values', () => {
    expect(html`<p>${'<script>alert(1)</script>'}</p>`.value).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('masks identity numbers and email addresses in log lines', () => {
    expect(mask('child 20150312-1236 mail vera@example.org')).toBe('child [personnummer] mail [e-post]');
  });
});
