/** Every email template, for every step and language: no identity number, no birth date, and no name for a protected child. */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { renderEmail } from '../../functions/web/emails/render';
import { referralClosed, withdrawnNotice } from '../../functions/phases/closure/emails';
import { consentComplete, consentReminder } from '../../functions/phases/consent/emails';
import { evaluationRequest, followUpSummary } from '../../functions/phases/follow-up/emails';
import { intakeReceived } from '../../functions/phases/intake/emails';
import { screeningApproved } from '../../functions/phases/screening/emails';
import { OUTCOMES } from '../../functions/domain/referral';
import type { Group } from '../../functions/domain/partnership';
import { weekendSchedule } from '../../functions/domain/schedule';
import {
  absenceNotice,
  attendanceRequest,
  groupPlaced,
  groupSchedule,
  meetingReminder,
  poolUpdate,
} from '../../functions/phases/groups/emails';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import type { StepName } from '../../functions/domain/steps';

/** A step's request email, as its step module declares it. */
const stepRequest = (
  step: StepName,
  ...args: Parameters<NonNullable<(typeof HUMAN_STEP_MODULES)[StepName]['email']>['request']>
) => HUMAN_STEP_MODULES[step].email!.request(...args);

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
  custodians: [
    { number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' },
    { number: 2, name: 'Per', language: 'sv' },
  ],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv', at: '2026-11-23T09:00:00.000Z' },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: true,
});

function everyEmail(r: Referral) {
  const url = 'https://x.example/links/t';
  const withdraw = 'https://x.example/links/w';
  const out = [
    renderEmail('siv@farsta.example', intakeReceived(r, r.socialWorker, withdraw)),
    renderEmail(
      'siv@farsta.example',
      followUpSummary(r, r.socialWorker, {
        format: 'weekend',
        attended: 3,
        scheduled: 4,
        childAnswered: true,
        carerAnswered: false,
      }),
    ),
    ...(['first', 'later'] as const).map((round) =>
      renderEmail('fia@example.org', evaluationRequest(r, r.carer, { carer: url, child: withdraw }, round)),
    ),
    renderEmail(
      'fia@example.org',
      evaluationRequest(r, r.carer, { carer: url, child: withdraw }, 'later', true),
    ),
    renderEmail('samordnare@bris.example', withdrawnNotice(r, { name: 'Samordnare' })),
    ...OUTCOMES.map((o) => renderEmail('siv@farsta.example', referralClosed(r, r.socialWorker, o))),
  ];
  for (const step of ['screening', 'consent', 'consent-escalation'] as const)
    for (const language of ['sv', 'en'] as const)
      for (const renewed of [false, true])
        for (const forCustodian of [undefined, r.custodians[1]])
          out.push(
            renderEmail(
              'x@example.org',
              stepRequest(step, r, { name: 'Mottagare', language }, url, '2026-12-07T09:00:00Z', {
                renewed,
                withdraw,
                forCustodian,
              }),
            ),
          );
  for (const language of ['sv', 'en'] as const)
    for (const forCustodian of [undefined, r.custodians[1]])
      out.push(
        renderEmail(
          'x@example.org',
          consentReminder(r, { name: 'Mottagare', language }, url, '2026-12-07T09:00:00Z', {
            withdraw,
            forCustodian,
          }),
        ),
      );
  const group: Group = {
    partnershipId: 'stockholm-bris',
    groupId: 'g-10-12-abcdef',
    name: 'Stödhelg 10-12 år',
    format: 'weekend',
    ageBand: '10-12',
    status: 'running',
    capacity: 8,
    memberCount: 1,
    meetings: weekendSchedule('2026-12-01'),
  };
  const premises = { name: 'Bris', address: 'Lokalen' };
  out.push(
    renderEmail(
      'samordnare@bris.example',
      poolUpdate(r, { name: 'S' }, url, '2026-12-07T09:00:00Z', undefined, 3),
    ),
    renderEmail(
      'samordnare@bris.example',
      poolUpdate(
        r,
        { name: 'S' },
        url,
        '2026-12-07T09:00:00Z',
        { format: 'weekend', ageBand: '10-12', members: [r.referralId] },
        3,
      ),
    ),
    renderEmail('fia@example.org', groupSchedule(r, r.carer, group, premises, 'carer')),
    renderEmail('fia@example.org', meetingReminder(r, r.carer, group.meetings![0]!, premises)),
    renderEmail(
      'ledare@bris.example',
      attendanceRequest(group, { name: 'L' }, 1, url, '2026-12-07T09:00:00Z'),
    ),
    renderEmail('siv@farsta.example', absenceNotice(r, r.socialWorker, 2)),
  );
  for (const language of ['sv', 'en'] as const) {
    const to = { ...r.socialWorker, language };
    const custodian = { ...r.custodians[0]!, language };
    out.push(
      renderEmail('siv@farsta.example', intakeReceived(r, to, withdraw)),
      renderEmail('siv@farsta.example', screeningApproved(r, to)),
      ...(['custodian-consent', 'child-consent', 'committee-decision'] as const).map((kind) =>
        renderEmail('siv@farsta.example', consentComplete(r, to, { kind })),
      ),
      renderEmail('siv@farsta.example', groupPlaced(r, to, group)),
      renderEmail('vera@example.org', groupSchedule(r, custodian, group, premises, 'custodian')),
      renderEmail(
        'vera@example.org',
        meetingReminder(r, custodian, group.meetings![0]!, premises, 'custodian'),
      ),
    );
  }
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

  it('print only plain names, escaped in HTML; anything else is left out of the greeting', () => {
    const odd = renderEmail('siv@farsta.example', intakeReceived(referral(false), { name: '<b>Siv</b>' }));
    expect(odd.text).toMatch(/^Hej,\n/);
    expect(odd.html).not.toContain('Siv');
    const m = renderEmail('siv@farsta.example', intakeReceived(referral(false), { name: "Siv O'Neill" }));
    expect(m.text).toMatch(/^Hej Siv O'Neill,\n/);
    expect(m.html).toContain('Hej Siv O&#39;Neill,');
  });
});
