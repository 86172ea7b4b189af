/**
 * No free text in email: every template, for every step, in Swedish and English, for protected and
 * unprotected children, rendered with hostile text in every field a person types (names, decline
 * reason, withdrawal reason, paper reference, case reference, questionnaire comments). None of it may
 * reach a subject, a text body or an HTML body: emails say that a note exists and link to the staff page.
 */
import { describe, expect, it } from 'vitest';
import { OUTCOMES, type Referral } from '../../functions/domain/referral';
import type { Group } from '../../functions/domain/partnership';
import { weekendSchedule } from '../../functions/domain/schedule';
import { renderEmail } from '../../functions/web/emails/render';
import { staffReferralUrl } from '../../functions/web/emails/templates';
import { staffSignIn } from '../../functions/phases/staff/emails';
import { referralClosed, withdrawnNotice } from '../../functions/phases/closure/emails';
import { consentComplete, consentReminder } from '../../functions/phases/consent/emails';
import { evaluationRequest, followUpSummary } from '../../functions/phases/follow-up/emails';
import { intakeReceived } from '../../functions/phases/intake/emails';
import { screeningApproved } from '../../functions/phases/screening/emails';
import {
  absenceNotice,
  attendanceRequest,
  groupPlaced,
  groupSchedule,
  meetingReminder,
  poolUpdate,
} from '../../functions/phases/groups/emails';
import type { EmailMessage } from '../../functions/ports';
import { closingNote, type NoteKind } from '../../functions/domain/notes';
import { findIdentityNumber } from '../../functions/domain/free-text';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import type { StepName } from '../../functions/domain/steps';

/** A step's request email, as its step module declares it. */
const stepRequest = (
  step: StepName,
  ...args: Parameters<NonNullable<(typeof HUMAN_STEP_MODULES)[StepName]['email']>['request']>
) => HUMAN_STEP_MODULES[step].email!.request(...args);

/** The same child's identity number in every way people write it (Luhn-valid; 2015-03-12). */
const IDENTITY_NUMBERS = [
  '20150312-1236',
  '201503121236',
  '150312-1236',
  '1503121236',
  '150312+1236',
  '2015 03 12-1236',
  '150312 1236',
  '19800101-0008',
];
const ADDRESS = 'Storgatan 12, 123 45 Stockholm';
const MARKER = 'Qzx'; // every hostile value starts with Qzx<field>: a string no template can contain

/** Fields that take a name; the rest are free text (reasons, references, comments). */
const NAME_FIELDS = new Set([
  'childFirstName',
  'socialWorkerName',
  'custodian1Name',
  'custodian2Name',
  'carerName',
  'confirmedBy',
  'recordedBy',
  'withdrawnBy',
]);

/**
 * `numbers`: every field holds the marker, an identity number and a street address (names then fail the
 * name rule, as data stored before names were checked would). `words`: names are plain names and every
 * other field holds the marker in ordinary words, so only quoting the free text itself would leak it.
 */
type Style = 'numbers' | 'words';
let style: Style = 'numbers';
let n = 0;
const hostile = (field: string) => {
  n += 1;
  if (style === 'words')
    return NAME_FIELDS.has(field) ? 'Vera Öberg' : `${MARKER}${field} hemlig anteckning om familjen`;
  return `${MARKER}${field} ${IDENTITY_NUMBERS[n % IDENTITY_NUMBERS.length]} ${ADDRESS}`;
};

function hostileReferral(protectedIdentity: boolean): Referral {
  return {
    referralId: 'R-ABCD-EFGH',
    partnershipId: 'stockholm-bris',
    district: 'Farsta',
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T09:00:00.000Z',
    phase: 'closed',
    status: 'closed',
    child: {
      firstName: hostile('childFirstName'),
      birthDate: '2015-03-12',
      ageAtReferral: 11,
      ageBand: '10-12',
      protectedIdentity,
    },
    identityHash: 'f'.repeat(64),
    socialWorker: { name: hostile('socialWorkerName'), email: 'siv@farsta.example' },
    custodians: [
      {
        number: 1,
        name: hostile('custodian1Name'),
        email: 'vera@example.org',
        language: 'sv',
        consent: {
          given: true,
          at: '2026-11-24T09:00:00.000Z',
          recordedBy: { role: 'custodian', name: hostile('recordedBy') },
        },
      },
      {
        number: 2,
        name: hostile('custodian2Name'),
        language: 'en',
        consent: {
          given: true,
          at: '2026-11-24T09:00:00.000Z',
          recordedBy: { role: 'social-worker', name: hostile('recordedBy') },
          paperReference: hostile('paperReference'),
        },
      },
    ],
    carer: { name: hostile('carerName'), email: 'fia@example.org' },
    childWish: { confirmedBy: hostile('confirmedBy'), at: '2026-11-23T09:00:00.000Z' },
    consentBasisRequested: 'custodians',
    custodianMaySeeSchedule: true,
    legalBasis: {
      kind: 'committee-decision',
      citation: 'Föräldrabalken 6 kap. 13 a §',
      decisionDate: '2026-11-20',
      caseReference: hostile('caseReference'),
      recordedBy: { role: 'social-worker', name: hostile('recordedBy') },
      at: '2026-11-24T09:00:00.000Z',
    },
    withdrawal: {
      at: '2026-11-25T09:00:00.000Z',
      by: { role: 'custodian', name: hostile('withdrawnBy') },
      reason: hostile('withdrawalReason'),
    },
    screening: { decision: 'declined', reason: hostile('declineReason'), at: '2026-11-23T10:00:00.000Z' },
  };
}

const url = 'https://x.example/links/t';
const withdraw = 'https://x.example/links/w';
const expires = '2026-12-07T09:00:00Z';

/** Every email the system sends, rendered for this referral and these answers. */
function everyEmail(r: Referral): EmailMessage[] {
  const out: EmailMessage[] = [];
  const sw = r.socialWorker;
  const coordinator = { name: 'Samordnare Bris' };
  out.push(renderEmail(sw.email, intakeReceived(r, sw, withdraw)));
  // What the use cases pass: that a note exists (closingNote) and the staff page of the referral.
  const note = (kind: NoteKind) => ({ kind, url: staffReferralUrl('https://x.example', r.referralId) });
  for (const outcome of OUTCOMES) {
    const kind = closingNote(r, outcome);
    out.push(renderEmail(sw.email, referralClosed(r, sw, outcome, kind && note(kind))));
  }
  out.push(
    renderEmail('samordnare@bris.example', withdrawnNotice(r, coordinator, note('withdrawal-reason'))),
  );
  for (const facts of [
    { childAnswered: true, carerAnswered: true },
    { childAnswered: false, carerAnswered: true },
  ])
    out.push(
      renderEmail(
        sw.email,
        followUpSummary(
          r,
          sw,
          { format: 'weekly', attended: 7, scheduled: 8, ...facts },
          note('questionnaire-comment'),
        ),
      ),
    );
  for (const round of ['first', 'later'] as const)
    for (const reminder of [false, true])
      out.push(
        renderEmail(
          r.carer.email,
          evaluationRequest(r, r.carer, { carer: url, child: withdraw }, round, reminder),
        ),
      );
  for (const language of ['sv', 'en'] as const) {
    const custodian = { ...r.custodians[0]!, language };
    for (const renewed of [false, true]) {
      out.push(
        renderEmail(
          'samordnare@bris.example',
          stepRequest('screening', r, { ...coordinator, language }, url, expires, { renewed }),
        ),
      );
      out.push(
        renderEmail(
          sw.email,
          stepRequest('consent-escalation', r, { ...sw, language }, url, expires, { renewed }),
        ),
      );
      out.push(
        renderEmail(
          custodian.email!,
          stepRequest('consent', r, custodian, url, expires, { renewed, withdraw }),
        ),
      );
      out.push(
        renderEmail(
          sw.email,
          stepRequest('consent', r, { ...sw, language }, url, expires, {
            renewed,
            forCustodian: r.custodians[1],
          }),
        ),
      );
    }
    out.push(renderEmail(custodian.email!, consentReminder(r, custodian, url, expires, { withdraw })));
    out.push(
      renderEmail(
        sw.email,
        consentReminder(r, { ...sw, language }, url, expires, { forCustodian: r.custodians[1] }),
      ),
    );
  }
  const group: Group = {
    partnershipId: 'stockholm-bris',
    groupId: 'g-10-12-abcdef',
    name: 'Stödhelg 10-12 år, start 2026-12-05',
    format: 'weekend',
    ageBand: '10-12',
    status: 'running',
    capacity: 8,
    memberCount: 1,
    meetings: weekendSchedule('2026-12-01'),
    leader: { name: 'Ledare Bris', email: 'ledare@bris.example' },
  };
  const premises = { name: 'Bris, Stockholm', address: 'Bris lokaler' };
  out.push(
    renderEmail('samordnare@bris.example', poolUpdate(r, coordinator, url, expires, undefined, 3)),
    renderEmail(
      'samordnare@bris.example',
      poolUpdate(
        r,
        coordinator,
        url,
        expires,
        { format: 'weekend', ageBand: '10-12', members: [r.referralId] },
        3,
      ),
    ),
    renderEmail(r.carer.email, groupSchedule(r, r.carer, group, premises, 'carer')),
    renderEmail(r.custodians[0]!.email!, groupSchedule(r, r.custodians[0]!, group, premises, 'custodian')),
    renderEmail(r.carer.email, meetingReminder(r, r.carer, group.meetings![0]!, premises)),
    // In both languages: decisions to the social worker, the schedule and reminders to a custodian.
    ...(['sv', 'en'] as const).flatMap((language) => {
      const to = { ...sw, language };
      const custodian = { ...r.custodians[0]!, language };
      return [
        renderEmail(sw.email, intakeReceived(r, to, withdraw)),
        renderEmail(sw.email, screeningApproved(r, to)),
        renderEmail(sw.email, consentComplete(r, to, r.legalBasis!)),
        renderEmail(sw.email, groupPlaced(r, to, group)),
        renderEmail(custodian.email!, groupSchedule(r, custodian, group, premises, 'custodian')),
        renderEmail(
          custodian.email!,
          meetingReminder(r, custodian, group.meetings![0]!, premises, 'custodian'),
        ),
      ];
    }),
    renderEmail('ledare@bris.example', attendanceRequest(group, group.leader!, 1, url, expires)),
    renderEmail(sw.email, absenceNotice(r, sw, 2)),
    renderEmail(sw.email, staffSignIn(sw, 'https://x.example/staff/sign-in/t', 15)),
  );
  return out;
}

describe('emails never quote what a person typed', () => {
  for (const protectedIdentity of [false, true])
    for (const s of ['numbers', 'words'] as const)
      it(`no hostile free text in any email (${protectedIdentity ? 'protected' : 'unprotected'} child, ${s})`, () => {
        style = s;
        const emails = everyEmail(hostileReferral(protectedIdentity));
        expect(emails.length).toBeGreaterThan(40);
        const templates = new Set(emails.map((m) => m.template));
        for (const t of [
          'closed-declined',
          'closed-withdrawn',
          'withdrawn-coordinator',
          'follow-up-summary',
          'consent-request-paper',
          'staff-sign-in',
          'screening-approved',
          'consent-complete',
          'group-placed',
          'meeting-reminder-custodian',
        ])
          expect(templates).toContain(t);
        // The notes are there, as links to the staff page of the referral, which asks for sign-in.
        for (const m of emails.filter((e) =>
          ['closed-declined', 'closed-withdrawn', 'withdrawn-coordinator', 'follow-up-summary'].includes(
            e.template,
          ),
        ))
          expect(m.text).toContain('https://x.example/staff/referrals/R-ABCD-EFGH');
        expect(new Set(emails.map((m) => m.language))).toEqual(new Set(['sv', 'en']));
        const leaks: string[] = [];
        for (const m of emails)
          for (const [part, body] of [
            ['subject', m.subject],
            ['text', m.text],
            ['html', m.html],
          ] as const) {
            const found = [
              MARKER,
              'Storgatan',
              '123 45',
              ...IDENTITY_NUMBERS,
              ...(/\d{6,8}\s*[-+]?\s*\d{4}/.exec(body) ?? []),
            ].filter((s) => body.includes(s));
            const id = findIdentityNumber(body);
            if (id) found.push(id);
            if (found.length) leaks.push(`${m.template} (${m.language}) ${part}: ${found.join(', ')}`);
          }
        expect([...new Set(leaks)]).toEqual([]);
      });
});
