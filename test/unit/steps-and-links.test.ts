import { describe, expect, it } from 'vitest';
import {
  hashLinkToken,
  LINK_TOKEN_PATTERN,
  linkUrl,
  newLinkToken,
} from '../../functions/adapters/link-tokens';
import { mask } from '../../functions/adapters/logger';
import { actionSchema, resolutionOf } from '../../functions/domain/steps';
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

describe('step actions', () => {
  it('requires a reason to decline', () => {
    const r = actionSchema('screening', 'coordinator').safeParse({ action: 'decline', reason: '' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['reason']);
  });

  it('refuses an identity number in every free-text field of a link, saying why', () => {
    const id = '150312-1236';
    const cases = [
      actionSchema('screening', 'coordinator').safeParse({ action: 'decline', reason: `Gäller ${id}` }),
      actionSchema('withdrawal', 'custodian').safeParse({
        action: 'withdraw',
        reason: `Barnet ${id} flyttar`,
      }),
      actionSchema('consent', 'social-worker').safeParse({
        action: 'consent',
        paperReference: `Blankett ${id}`,
      }),
      actionSchema('consent-escalation', 'social-worker').safeParse({
        action: 'committee-decision',
        decisionDate: '2026-11-20',
        caseReference: `SN ${id}`,
      }),
    ];
    for (const r of cases) {
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/^Skriv inte personnummer här\./);
    }
    // A street address is a placement detail: refused too, with its own reason; a plain reason goes through.
    const address = actionSchema('screening', 'coordinator').safeParse({
      action: 'decline',
      reason: 'Bor på Storgatan 12.',
    });
    expect(address.error?.issues[0]?.message).toMatch(/^Skriv inte adresser här\./);
    expect(
      actionSchema('screening', 'coordinator').safeParse({
        action: 'decline',
        reason: 'Barnet har redan stöd i en annan grupp.',
      }).success,
    ).toBe(true);
  });

  it('refuses an action that belongs to another step', () => {
    expect(actionSchema('consent', 'custodian').safeParse({ action: 'approve' }).success).toBe(false);
    expect(actionSchema('screening', 'coordinator').safeParse({ action: 'consent' }).success).toBe(false);
    expect(actionSchema('withdrawal', 'custodian').safeParse({ action: 'consent' }).success).toBe(false);
  });

  it('a paper consent recorded by the social worker needs a reference to the signed form', () => {
    expect(actionSchema('consent', 'custodian').safeParse({ action: 'consent' }).success).toBe(true);
    const r = actionSchema('consent', 'social-worker').safeParse({ action: 'consent' });
    expect(r.error?.issues[0]?.path).toEqual(['paperReference']);
    expect(
      actionSchema('consent', 'social-worker').safeParse({
        action: 'consent',
        paperReference: 'Dok 2026-114',
      }).success,
    ).toBe(true);
  });

  it('a committee decision needs a real date and a case reference', () => {
    const s = actionSchema('consent-escalation', 'social-worker');
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
