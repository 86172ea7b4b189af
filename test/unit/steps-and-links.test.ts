import { describe, expect, it } from 'vitest';
import {
  hashLinkToken,
  LINK_TOKEN_PATTERN,
  linkUrl,
  newLinkToken,
} from '../../functions/adapters/link-tokens';
import { mask } from '../../functions/adapters/logger';
import {
  actionSchema,
  HUMAN_STEPS,
  STEP_PHASE,
  type RecipientRole,
  type StepName,
} from '../../functions/domain/steps';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
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
    expect(linkUrl('https://stodgrupper.example', 'abc')).toBe('https://stodgrupper.example/links/abc');
  });
});

/** The schema a link's POST is checked with: the step module's, or the link purpose's (withdrawal). */
const schemaFor = (purpose: StepName | 'withdrawal', role: RecipientRole) =>
  purpose === 'withdrawal' ? actionSchema('withdrawal') : HUMAN_STEP_MODULES[purpose].answer!.schema(role);
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
        action: 'answer',
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
    expect(sw.safeParse({ action: 'answer', answer: 'x'.repeat(3001) }).error?.issues[0]?.path).toEqual([
      'answer',
    ]);
    expect(coordinator.safeParse({ action: 'screen-now' }).success).toBe(true);
    expect(coordinator.safeParse({ action: 'answer', answer: 'Ett svar.' }).success).toBe(false);
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
