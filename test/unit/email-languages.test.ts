/**
 * Every email in both languages: each template is rendered for a recipient who reads English and for one
 * who reads Swedish, for an unprotected and a protected child, and no English email may hold a word only
 * Swedish has (the issue found "…suggested that barnet i ärende R-… takes part"), nor a Swedish email a
 * word only English has. Each email's footer links the privacy notice in its own language.
 */
import { describe, expect, it } from 'vitest';
import {
  INFORMATION_ITEMS,
  type InformationRequestOutcome,
} from '../../functions/domain/information-request';
import { GROUP_STEPS, type Group } from '../../functions/domain/partnership';
import { OUTCOMES, type Language, type LegalBasis, type Referral } from '../../functions/domain/referral';
import { weekendSchedule } from '../../functions/domain/schedule';
import type { StepName } from '../../functions/domain/steps';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import { referralClosed, withdrawnNotice } from '../../functions/phases/closure/emails';
import {
  consentComplete,
  consentReminder,
  consentRequestEmail,
  escalationRequest,
} from '../../functions/phases/consent/emails';
import { evaluationRequest, followUpSummary } from '../../functions/phases/follow-up/emails';
import { attendanceOverdue, attendanceReminder } from '../../functions/phases/groups/attendance-emails';
import {
  absenceNotice,
  attendanceRequest,
  groupNeedsAttentionNotice,
  groupPlaced,
  groupSchedule,
  meetingReminder,
  poolUpdate,
} from '../../functions/phases/groups/emails';
import { homeVisitTimes } from '../../functions/phases/groups/home-visit-emails';
import { poolProposalOverdue, poolProposalReminder } from '../../functions/phases/groups/pool-emails';
import { intakeReceived } from '../../functions/phases/intake/emails';
import { screeningApproved, screeningRequest } from '../../functions/phases/screening/emails';
import {
  informationRequestEmail,
  informationRequestOverdue,
  screeningRequestEmail,
} from '../../functions/phases/screening/information-request-emails';
import { staffSignIn } from '../../functions/phases/staff/emails';
import { privacyUrl, renderEmail } from '../../functions/web/emails/render';
import { stepOverdue, stepReminder } from '../../functions/web/emails/templates';
import { emailUndeliverable } from '../../functions/web/emails/undeliverable';
import type { EmailMessage } from '../../functions/ports';

/** Words only Swedish has: none may stand in an English email. */
const SWEDISH_ONLY = [
  'och',
  'för',
  'att',
  'är',
  'har',
  'inte',
  'med',
  'till',
  'hej',
  'barnet',
  'barn',
  'anmälan',
  'ärende',
  'ärendet',
  'socialsekreterare',
  'socialsekreteraren',
  'vårdnadshavare',
  'vårdnadshavaren',
  'samtycke',
  'samtycket',
  'länken',
  'träff',
  'träffar',
  'gruppen',
  'påminnelse',
  'familjehemmet',
  'närvaro',
  'försenat',
  'veckogrupp',
  'stödhelg',
  'stödgrupp',
  'samordnare',
  'referensnummer',
  'logga',
  'år',
];
/** Words only English has: none may stand in a Swedish email. */
const ENGLISH_ONLY = [
  'the',
  'and',
  'of',
  'is',
  'has',
  'not',
  'with',
  'your',
  'dear',
  'hello',
  'child',
  'referral',
  'case',
  'custodian',
  'social',
  'worker',
  'consent',
  'link',
  'meeting',
  'group',
  'reminder',
  'overdue',
  'attendance',
  'weekly',
  'weekend',
  'coordinator',
  'reference',
  'sign',
];

const BASE = 'https://x.example';

/** The words of an email a reader sees: subject and text, without its links. */
function words(m: EmailMessage): string[] {
  const seen = `${m.subject}\n${m.text}`.replace(/https?:\/\/\S+/g, ' ');
  return seen
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
}

function referral(protectedIdentity: boolean, language: Language): Referral {
  return {
    referralId: 'R-ABCD-EFGH',
    partnershipId: 'stockholm-bris',
    district: 'Farsta',
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T09:00:00.000Z',
    phase: 'consent',
    status: 'active',
    child: {
      firstName: 'Sam',
      birthDate: '2015-03-12',
      ageAtReferral: 11,
      ageBand: '10-12',
      protectedIdentity,
    },
    identityHash: 'f'.repeat(64),
    socialWorker: { name: 'Siv Lind', email: 'siv@farsta.example', language },
    custodians: [
      { number: 1, name: 'Vera Lind', email: 'vera@example.org', language },
      { number: 2, name: 'Ove Lind', language },
    ],
    carer: { name: 'Fia Berg', email: 'fia@example.org', language },
    childWish: { confirmedBy: 'Siv Lind', at: '2026-11-23T09:00:00.000Z' },
    consentBasisRequested: 'custodians',
    custodianMaySeeSchedule: true,
    informationRequests: [
      {
        number: 1,
        items: [...INFORMATION_ITEMS],
        note: 'x',
        requestedAt: '2026-11-24T09:00:00.000Z',
        requestedBy: { role: 'coordinator', name: 'Sam Bris' },
      },
    ],
  };
}

const url = `${BASE}/links/t`;
const expires = '2026-12-07T09:00:00Z';
const since = '2026-11-24T09:00:00Z';
const group: Group = {
  partnershipId: 'stockholm-bris',
  groupId: 'g-10-12-abcdef',
  // A group's name is partnership data, the same in both languages.
  name: 'G-10-12-A',
  format: 'weekend',
  ageBand: '10-12',
  status: 'running',
  capacity: 8,
  memberCount: 1,
  meetings: weekendSchedule('2026-12-01'),
  leader: { name: 'Lea Bris', email: 'ledare@bris.example' },
};
const premises = { name: 'Bris', address: 'Hornsgatan 1' };
const coordinatorContact = { name: 'Sam Bris', email: 'sam@bris.example' };

/** Every email the system sends, to a recipient who reads `lang`. */
function everyEmail(r: Referral, lang: Language): EmailMessage[] {
  const to = { name: 'Siv Lind', language: lang };
  const staff = (role: string) => ({ ...to, role });
  const overdue = { since, deadline: expires, staffUrl: `${BASE}/staff`, coordinator: coordinatorContact };
  const note = { kind: 'decline-reason' as const, url: `${BASE}/staff/referrals/R-ABCD-EFGH` };
  const asked = (outcome: InformationRequestOutcome): Referral => ({
    ...r,
    informationRequests: [{ ...r.informationRequests![0]!, outcome }],
  });
  const contents = [
    intakeReceived(r, to, url),
    screeningRequest(r, to, url, expires, { renewed: true }),
    screeningApproved(r, to),
    screeningApproved({ ...r, consentBasisRequested: 'child' }, to),
    informationRequestEmail(r, to, url, expires, { renewed: true }),
    informationRequestOverdue(r, staff('coordinator'), overdue),
    ...(['answered', 'cannot-add', 'no-answer', 'screened-without'] as const).map((o) =>
      screeningRequestEmail(asked(o), to, url, expires),
    ),
    consentRequestEmail(r, to, url, expires, { withdraw: url }),
    consentRequestEmail(r, to, url, expires, { forCustodian: r.custodians[1] }),
    consentRequestEmail(r, to, url, expires, { forCustodian: { ...r.custodians[0]!, emailBounced: true } }),
    consentReminder(r, to, url, expires, { withdraw: url }),
    consentReminder(r, to, url, expires, { forCustodian: r.custodians[1] }),
    escalationRequest(r, to, url, expires, { renewed: true }),
    ...(['custodian-consent', 'child-consent', 'committee-decision'] as LegalBasis['kind'][]).map((kind) =>
      consentComplete(r, to, { kind }),
    ),
    ...(['screening', 'consent-escalation', 'information-request'] as StepName[]).flatMap((step) => [
      stepOverdue(step, r, staff('coordinator'), overdue),
      stepOverdue(step, r, staff('partnership-admin'), overdue),
    ]),
    withdrawnNotice(r, to, { kind: 'withdrawal-reason', url: note.url }),
    ...OUTCOMES.map((o) => referralClosed(r, to, o, o === 'declined' ? note : undefined)),
    ...(['first', 'later'] as const).flatMap((round) => [
      evaluationRequest(r, to, { carer: url, child: url }, round),
      evaluationRequest(r, to, { carer: url, child: url }, round, true),
    ]),
    followUpSummary(
      r,
      to,
      { format: 'weekly', attended: 7, scheduled: 8, childAnswered: true, carerAnswered: false },
      { kind: 'questionnaire-comment', url: note.url },
    ),
    groupPlaced(r, to, group),
    poolUpdate(r, to, url, expires, undefined, 3),
    poolUpdate(
      r,
      to,
      url,
      expires,
      { format: 'weekly', district: 'Farsta', ageBand: '10-12', members: ['R-1'] },
      3,
    ),
    groupSchedule(r, to, group, premises, 'carer'),
    groupSchedule(r, to, group, premises, 'custodian'),
    meetingReminder(r, to, group.meetings![0]!, premises),
    homeVisitTimes(r, to, [since, expires], url, expires),
    attendanceRequest(group, to, 1, url, expires),
    attendanceReminder(group, to, 1, url, expires),
    attendanceOverdue(group, to, 1, { since, deadline: expires, tasksUrl: `${BASE}/staff/tasks` }),
    absenceNotice(r, to, 2),
    ...GROUP_STEPS.map((step) => groupNeedsAttentionNotice(group, to, { step, meeting: 2 }, `${BASE}/staff`)),
    ...[1, 2].map((n) =>
      poolProposalReminder('10-12', to, {
        n,
        since,
        proposals: [
          { format: 'weekend', ageBand: '10-12', members: ['R-1', 'R-2'] },
          { format: 'weekly', district: 'Farsta', ageBand: '10-12', members: ['R-3'] },
        ],
        url,
        expiresAt: expires,
        staffUrl: `${BASE}/staff/tasks/pool/10-12`,
      }),
    ),
    ...(['coordinator', 'partnership-admin'] as const).map((role) =>
      poolProposalOverdue('10-12', staff(role), {
        since,
        reminders: 2,
        waiting: 5,
        firstNoGroupAt: expires,
        staffUrl: `${BASE}/staff`,
        coordinator: coordinatorContact,
      }),
    ),
    staffSignIn(to, `${BASE}/staff/sign-in/t`, 15, lang),
    ...(['bounce', 'complaint'] as const).flatMap((kind) =>
      (['coordinator', 'social-worker'] as const).flatMap((role) =>
        (['custodian', 'carer', 'social-worker'] as const).map((whose) =>
          emailUndeliverable(
            r,
            { ...to, role },
            { role: whose, custodian: 1, kind },
            { publicBaseUrl: BASE, asksSocialWorker: whose === 'custodian' },
          ),
        ),
      ),
    ),
  ];
  // Every step module's own request, reminder and overdue email, as the kernel sends them.
  for (const module of Object.values(HUMAN_STEP_MODULES)) {
    if (!module.email) continue;
    const request = module.email.request(r, to, url, expires, {});
    contents.push(request, stepReminder(request));
    if (module.email.reminder) contents.push(module.email.reminder(r, to, url, expires, {}));
    if (module.email.overdue) contents.push(module.email.overdue(r, staff('coordinator'), overdue));
  }
  return contents.map((c) => renderEmail('to@example.org', c, BASE));
}

/** Every email to the family home, addressed as the flows address it: to the carer as stored on the referral. */
function familyHomeEmails(r: Referral): EmailMessage[] {
  return [
    homeVisitTimes(r, r.carer, [since, expires], url, expires),
    groupSchedule(r, r.carer, group, premises, 'carer'),
    meetingReminder(r, r.carer, group.meetings![0]!, premises),
    evaluationRequest(r, r.carer, { carer: url, child: url }, 'first'),
    evaluationRequest(r, r.carer, { carer: url, child: url }, 'later', true),
  ].map((c) => renderEmail(r.carer.email, c, BASE));
}

describe("the family home's emails follow the language chosen for it on the form", () => {
  it('in English when the form chose English, with no Swedish-only word', () => {
    const r = referral(false, 'sv');
    const emails = familyHomeEmails({ ...r, carer: { ...r.carer, language: 'en' } });
    for (const m of emails) expect(m.language, m.template).toBe('en');
    expect(emails.flatMap((m) => words(m).filter((w) => SWEDISH_ONLY.includes(w)))).toEqual([]);
  });

  it('in Swedish when the form chose none (a referral stored before the choice existed)', () => {
    const r = referral(false, 'en');
    const emails = familyHomeEmails({ ...r, carer: { name: r.carer.name, email: r.carer.email } });
    for (const m of emails) expect(m.language, m.template).toBe('sv');
    expect(emails.flatMap((m) => words(m).filter((w) => ENGLISH_ONLY.includes(w)))).toEqual([]);
  });
});

describe('every email in Swedish and English', () => {
  for (const protectedIdentity of [false, true]) {
    const child = protectedIdentity ? 'protected child' : 'named child';

    it(`English emails hold no Swedish-only word (${child})`, () => {
      const emails = everyEmail(referral(protectedIdentity, 'en'), 'en');
      expect(emails.length).toBeGreaterThan(60);
      const found = emails.flatMap((m) =>
        words(m)
          .filter((w) => SWEDISH_ONLY.includes(w))
          .map((w) => `${m.template}: "${w}"`),
      );
      expect(found).toEqual([]);
      for (const m of emails) {
        expect(m.language, m.template).toBe('en');
        expect(m.html, m.template).toContain('<html lang="en">');
      }
      if (protectedIdentity)
        expect(emails.some((m) => m.text.includes('the child in case R-ABCD-EFGH'))).toBe(true);
    });

    it(`Swedish emails hold no English-only word (${child})`, () => {
      const emails = everyEmail(referral(protectedIdentity, 'sv'), 'sv');
      const found = emails.flatMap((m) =>
        words(m)
          .filter((w) => ENGLISH_ONLY.includes(w))
          .map((w) => `${m.template}: "${w}"`),
      );
      expect(found).toEqual([]);
      for (const m of emails) expect(m.language, m.template).toBe('sv');
    });
  }

  it("links the privacy notice in every email's footer, in the email's language", () => {
    for (const lang of ['sv', 'en'] as const)
      for (const m of everyEmail(referral(false, lang), lang)) {
        expect(m.text, m.template).toContain(privacyUrl(BASE, lang));
        expect(m.html, m.template).toContain(`href="${privacyUrl(BASE, lang)}"`);
      }
    expect(privacyUrl(BASE, 'en')).toBe(`${BASE}/privacy?lang=en`);
    expect(privacyUrl(`${BASE}/`, 'sv')).toBe(`${BASE}/privacy`);
  });
});
