/** Every email template, for every step and language: no identity number, no birth date, and no name for a protected child. */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { HUMAN_STEPS } from '../../functions/domain/steps';
import { renderEmail } from '../../functions/web/emails/render';
import { followUp, intakeReceived, referralClosed, stepRequest } from '../../functions/web/emails/templates';

const referral = (protectedIdentity: boolean): Referral => ({
  referralId: 'R-ABCD-EFGH',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z',
  phase: 'intake',
  status: 'active',
  child: {
    firstName: 'Zlatanina',
    birthDate: '2015-03-12',
    ageAtReferral: 11,
    ageBand: '10-12',
    protectedIdentity,
  },
  identityHash: 'f'.repeat(64),
  socialWorker: { name: 'Siv', email: 'siv@farsta.example' },
  custodian: { name: 'Vera', email: 'vera@example.org', language: 'sv' },
  carer: { name: 'Fia', email: 'fia@example.org' },
});

function everyEmail(r: Referral) {
  const out = [
    renderEmail('siv@farsta.example', intakeReceived(r, r.socialWorker)),
    renderEmail('siv@farsta.example', followUp(r, r.socialWorker, 'social-worker')),
    renderEmail('fia@example.org', followUp(r, r.carer, 'carer')),
    ...(['completed', 'declined', 'consent-refused'] as const).map((o) =>
      renderEmail('siv@farsta.example', referralClosed(r, r.socialWorker, o)),
    ),
  ];
  for (const step of HUMAN_STEPS)
    for (const language of ['sv', 'en'] as const)
      for (const renewed of [false, true])
        out.push(
          renderEmail(
            'x@example.org',
            stepRequest(
              step,
              r,
              { name: 'Mottagare', language },
              'https://x.example/links/t',
              '2026-12-07T09:00:00Z',
              renewed,
            ),
          ),
        );
  return out;
}

describe('emails carry no sensitive data', () => {
  it('never contain the identity number or the birth date', () => {
    for (const m of everyEmail(referral(false))) {
      for (const body of [m.subject, m.text, m.html]) {
        expect(body).not.toMatch(/2015-?03-?12/);
        expect(body).not.toMatch(/\d{6,8}-?\d{4}/);
      }
    }
  });

  it('never name a child with protected identity', () => {
    const emails = everyEmail(referral(true));
    expect(emails.length).toBeGreaterThan(20);
    for (const m of emails)
      for (const body of [m.subject, m.text, m.html]) expect(body).not.toContain('Zlatanina');
  });

  it('name the child only where useful when the identity is not protected', () => {
    const consent = renderEmail(
      'v@example.org',
      stepRequest(
        'consent',
        referral(false),
        { name: 'Vera', language: 'sv' },
        'https://x/links/t',
        '2026-12-07T09:00:00Z',
      ),
    );
    expect(consent.text).toContain('Zlatanina');
  });

  it('escape HTML in names', () => {
    const m = renderEmail('siv@farsta.example', intakeReceived(referral(false), { name: '<b>Siv</b>' }));
    expect(m.html).toContain('&lt;b&gt;Siv&lt;/b&gt;');
    expect(m.text).toContain('<b>Siv</b>');
  });
});
