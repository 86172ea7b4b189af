/**
 * The social worker's decision emails (approved, consent complete, placed), the receipt's promise, and
 * the schedule and reminders in a custodian's language: both languages, no free text, no identity number,
 * and the child named by first name only (never a surname: the family's name is the custodians').
 */
import { describe, expect, it } from 'vitest';
import type { Group } from '../../functions/domain/partnership';
import type { Language, LegalBasis, Referral } from '../../functions/domain/referral';
import { scheduleCustodians } from '../../functions/domain/referral';
import { weekendSchedule, weeklySchedule } from '../../functions/domain/schedule';
import { groupPlaced, groupSchedule, meetingReminder } from '../../functions/phases/groups/emails';
import type { EmailMessage } from '../../functions/ports';
import { SOCIAL_WORKER_NOTIFICATIONS } from '../../functions/web/emails/promises';
import { renderEmail } from '../../functions/web/emails/render';
import { consentComplete } from '../../functions/phases/consent/emails';
import { intakeReceived } from '../../functions/phases/intake/emails';
import { screeningApproved } from '../../functions/phases/screening/emails';

const TYPED = 'Qzx hemlig anteckning om familjen';

function referral(over: Partial<Referral> = {}): Referral {
  return {
    referralId: 'R-ABCD-EFGH',
    partnershipId: 'stockholm-bris',
    district: 'Farsta',
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T09:00:00.000Z',
    phase: 'consent',
    status: 'active',
    child: {
      firstName: 'Zlatanina',
      birthDate: '2015-03-12',
      ageAtReferral: 11,
      ageBand: '10-12',
      protectedIdentity: false,
    },
    identityHash: 'f'.repeat(64),
    socialWorker: { name: 'Siv', email: 'siv@farsta.example' },
    custodians: [
      { number: 1, name: 'Vera Lindqvist', email: 'vera@example.org', language: 'en' },
      { number: 2, name: 'Per Lindqvist', language: 'sv' },
    ],
    carer: { name: 'Fia Ekström', email: 'fia@example.org' },
    childWish: { confirmedBy: 'Siv', at: '2026-11-23T09:00:00.000Z' },
    consentBasisRequested: 'custodians',
    custodianMaySeeSchedule: true,
    screening: { decision: 'approved', reason: TYPED, at: '2026-11-23T10:00:00.000Z' },
    withdrawal: undefined,
    ...over,
  };
}

const BASES: LegalBasis[] = [
  { kind: 'custodian-consent', citation: 'x', recordedBy: { role: 'system' }, at: '2026-11-24T09:00:00Z' },
  {
    kind: 'child-consent',
    citation: 'Socialtjänstlagen',
    childAge: 15,
    recordedBy: { role: 'social-worker', name: TYPED },
    at: '2026-11-24T09:00:00Z',
  },
  {
    kind: 'committee-decision',
    citation: 'Föräldrabalken 6 kap. 13 a §',
    decisionDate: '2026-11-20',
    caseReference: TYPED,
    recordedBy: { role: 'social-worker', name: TYPED },
    at: '2026-11-24T09:00:00Z',
  },
];

const weekend: Group = {
  partnershipId: 'stockholm-bris',
  groupId: 'g-10-12-abcdef',
  name: 'Stödhelg 10-12 år, start 2026-12-05',
  format: 'weekend',
  ageBand: '10-12',
  status: 'running',
  capacity: 8,
  memberCount: 1,
  startDate: '2026-12-01',
  meetings: weekendSchedule('2026-12-01'),
};
const premises = { name: 'Bris', address: 'Bris lokaler' };

const sw = (language: Language) => ({ name: 'Siv', language });

function decisionEmails(r: Referral, language: Language): EmailMessage[] {
  const to = sw(language);
  return [
    renderEmail('siv@farsta.example', intakeReceived(r, to, 'https://x.example/links/w')),
    renderEmail('siv@farsta.example', screeningApproved(r, to)),
    renderEmail('siv@farsta.example', screeningApproved({ ...r, consentBasisRequested: 'child' }, to)),
    ...BASES.map((b) => renderEmail('siv@farsta.example', consentComplete(r, to, b))),
    renderEmail('siv@farsta.example', groupPlaced(r, to, weekend)),
  ];
}

const bodies = (m: EmailMessage) => [m.subject, m.text, m.html];

describe("the social worker's decision emails", () => {
  for (const language of ['sv', 'en'] as const) {
    it(`are in the recipient's language (${language}), name the referral and carry no free text or identity number`, () => {
      for (const m of decisionEmails(referral(), language)) {
        expect(m.language).toBe(language);
        expect(m.html).toContain(`<html lang="${language}">`);
        for (const body of bodies(m)) {
          expect(body).toContain('R-ABCD-EFGH');
          expect(body).not.toContain('Qzx');
          expect(body).not.toMatch(/2015-?03-?12/);
          expect(body).not.toMatch(/\d{6,8}\s*[-+]?\s*\d{4}/);
          // The child by first name only: the family name (the custodians') never, nor the carer.
          expect(body).not.toContain('Lindqvist');
          expect(body).not.toContain('Ekström');
          expect(body).not.toContain('Bris lokaler'); // no meeting place in the social worker's email
        }
      }
    });

    it(`never name a child with protected identity (${language})`, () => {
      const r = referral({ child: { ...referral().child, protectedIdentity: true } });
      for (const m of decisionEmails(r, language))
        for (const body of bodies(m)) expect(body).not.toContain('Zlatanina');
    });
  }

  it('say which legal basis consent rests on, in words', () => {
    const text = (b: LegalBasis, l: Language) => consentComplete(referral(), sw(l), b).paragraphs.join(' ');
    expect(text(BASES[0]!, 'sv')).toContain('samtycke från samtliga vårdnadshavare');
    expect(text(BASES[1]!, 'sv')).toContain('barnets eget samtycke');
    expect(text(BASES[2]!, 'sv')).toContain('socialnämndens beslut');
    expect(text(BASES[0]!, 'en')).toContain('the consent of every custodian');
    expect(text(BASES[1]!, 'en')).toContain("the child's own consent");
    expect(text(BASES[2]!, 'en')).toContain("the Social Welfare Committee's decision");
    expect(text(BASES[0]!, 'sv')).toContain('Zlatanina');
  });

  it('tell the placement: the format and the start date in Stockholm', () => {
    // The first meeting of a weekly group on Tuesdays 17:00 from 2026-12-01 (Stockholm), and a weekend.
    const weekly: Group = {
      ...weekend,
      format: 'weekly',
      meetings: weeklySchedule('2026-12-01', { weekday: 2, start: '17:00' }),
    };
    const sv = renderEmail('siv@farsta.example', groupPlaced(referral(), sw('sv'), weekly));
    expect(sv.template).toBe('group-placed');
    expect(sv.text).toContain('Format: veckogrupp.');
    expect(sv.text).toContain('Startdatum: tisdag 1 december 2026.');
    const en = renderEmail('siv@farsta.example', groupPlaced(referral(), sw('en'), weekend));
    expect(en.text).toContain('Format: support weekend.');
    expect(en.text).toContain('Start date: Saturday 5 December 2026.');
    // A meeting at 00:30 Stockholm time is on that Stockholm date, not the UTC one before it.
    const late: Group = {
      ...weekend,
      meetings: [
        {
          index: 1,
          kind: 'weekend-day',
          startsAt: '2026-12-04T23:30:00.000Z',
          endsAt: '2026-12-05T07:00:00.000Z',
        },
      ],
    };
    expect(renderEmail('x@example.org', groupPlaced(referral(), sw('sv'), late)).text).toContain(
      'Startdatum: lördag 5 december 2026.',
    );
  });
});

describe("the receipt's promise", () => {
  for (const language of ['sv', 'en'] as const)
    it(`is written from the list of what is sent, in order (${language})`, () => {
      const receipt = intakeReceived(referral(), sw(language));
      const promised = receipt.paragraphs.filter((p) => p.startsWith('– '));
      expect(promised).toEqual(SOCIAL_WORKER_NOTIFICATIONS.map((n) => `– ${n.promise[language]}.`));
      expect(receipt.language).toBe(language);
    });

  it('names a decision for approved, consent, placement and closing, in both languages', () => {
    expect(SOCIAL_WORKER_NOTIFICATIONS.map((n) => n.id)).toEqual(
      expect.arrayContaining(['screening-approved', 'consent-complete', 'placed', 'closed']),
    );
    for (const n of SOCIAL_WORKER_NOTIFICATIONS) {
      expect(n.promise.sv).toMatch(/^(när|med) /);
      expect(n.promise.en).toMatch(/^(when|with) /);
    }
  });
});

describe('the schedule and its reminders to custodians', () => {
  it('go to custodians with email where allowed, never for a protected child', () => {
    expect(scheduleCustodians(referral()).map((c) => c.number)).toEqual([1]);
    expect(scheduleCustodians(referral({ custodianMaySeeSchedule: false }))).toEqual([]);
    expect(scheduleCustodians(referral({ child: { ...referral().child, protectedIdentity: true } }))).toEqual(
      [],
    );
  });

  it("are in the custodian's language, calendar file too; the family home reads Swedish", () => {
    const r = referral();
    const [en, sv] = [r.custodians[0]!, { ...r.custodians[0]!, language: 'sv' as const }];
    const schedule = renderEmail(en.email!, groupSchedule(r, en, weekend, premises, 'custodian'));
    expect(schedule.language).toBe('en');
    expect(schedule.template).toBe('group-schedule-custodian');
    expect(schedule.subject).toBe('Schedule for the Bris support group: support weekend');
    expect(schedule.text).toContain('Meeting 1: Saturday 5 December 2026 at');
    expect(schedule.text).toContain('You get a reminder two days before each meeting.');
    expect(schedule.text).not.toMatch(/Träff|träff|påminnelse/);
    const ics = schedule.attachments![0]!;
    expect(ics.filename).toBe('bris-support-group.ics');
    expect(ics.content).toContain('SUMMARY:Bris support group\\, meeting 1');
    expect(ics.content).not.toContain('träff');

    const swedish = renderEmail(sv.email!, groupSchedule(r, sv, weekend, premises, 'custodian'));
    expect(swedish.language).toBe('sv');
    expect(swedish.attachments![0]!.content).toContain('träff 1');
    const carer = renderEmail(r.carer.email, groupSchedule(r, r.carer, weekend, premises, 'carer'));
    expect([carer.language, carer.template, carer.attachments![0]!.filename]).toEqual([
      'sv',
      'group-schedule-carer',
      'bris-stodgrupp.ics',
    ]);

    const reminder = renderEmail(
      en.email!,
      meetingReminder(r, en, weekend.meetings![0]!, premises, 'custodian'),
    );
    expect(reminder.language).toBe('en');
    expect(reminder.template).toBe('meeting-reminder-custodian');
    expect(reminder.subject).toMatch(/^Reminder: Bris support group Saturday 5 December 2026 at \d\d:\d\d$/);
    expect(reminder.text).toContain('meeting 1 for Zlatanina');
    const carerReminder = renderEmail(
      r.carer.email,
      meetingReminder(r, r.carer, weekend.meetings![0]!, premises),
    );
    expect([carerReminder.language, carerReminder.template]).toEqual(['sv', 'meeting-reminder']);
    for (const m of [schedule, reminder])
      for (const body of bodies(m)) expect(body).not.toMatch(/\d{6,8}\s*[-+]?\s*\d{4}/);
  });
});
