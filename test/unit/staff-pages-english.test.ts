/**
 * Every staff page in English for a person who chose English: the sign-in page and its email, the
 * overview, the referral page with its needs-attention sentence, the report, the task inbox and the step
 * pages shown in it, each with `<html lang="en">`, the switch back to Swedish, and no Swedish left.
 * Swedish stays the default, with its words as they were.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { partnershipSchema, type Partnership } from '../../functions/domain/partnership';
import type { DistrictFigures } from '../../functions/domain/report';
import type { Referral } from '../../functions/domain/referral';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import type { GroupLinkResult } from '../../functions/phases/groups/groups';
import { staffSignIn } from '../../functions/phases/staff/emails';
import { browserLanguage, requestedLanguage, staffDateTime } from '../../functions/phases/staff/language';
import {
  forbiddenPage,
  overviewPage,
  referralPage,
  reportPage,
  signInConfirmPage,
  signInPage,
  signInRefusedPage,
} from '../../functions/phases/staff/pages';
import { signInSchema } from '../../functions/phases/staff/staff';
import {
  goneTaskPage,
  groupTaskPage,
  inboxPage,
  stepDonePage,
  stepTaskPage,
} from '../../functions/phases/staff/task-pages';
import { listTasks, type InboxTask, type StepTask } from '../../functions/phases/staff/tasks';
import { fieldErrors } from '../../functions/domain/referral-form';
import type { AuditEvent, Dependencies, LinkRecord, StaffSession } from '../../functions/ports';
import { renderEmail } from '../../functions/web/emails/render';
import { MemoryReferralStore } from '../fakes/memory-store';

const NOW = Date.parse('2017-03-14T09:00:00Z');

const swedishSession: StaffSession = {
  email: 'samordnare@bris.example',
  name: 'Sam Coordinator',
  role: 'coordinator',
  expiresAt: '2017-03-14T11:00:00.000Z',
};
const session: StaffSession = { ...swedishSession, language: 'en' };
const socialWorker: StaffSession = {
  email: 'siv@farsta.example',
  name: 'Siv Social',
  role: 'social-worker',
  district: 'Farsta',
  expiresAt: '2017-03-14T11:00:00.000Z',
  language: 'en',
};

const partnership: Partnership = partnershipSchema.parse(
  JSON.parse(readFileSync(new URL('../../partnerships/stockholm-bris.json', import.meta.url), 'utf8')),
);

const referral: Referral = {
  referralId: 'R-ENGL-0001',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: '2017-03-01T09:00:00.000Z',
  updatedAt: '2017-03-10T09:00:00.000Z',
  phase: 'screening',
  status: 'needs-attention',
  failure: { phase: 'screening', error: 'States.Timeout', at: '2017-03-10T09:00:00.000Z' },
  child: {
    firstName: 'Fanny',
    birthDate: '2006-03-12',
    ageAtReferral: 10,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'e'.repeat(64),
  socialWorker: { name: 'Siv Social', email: 'siv@farsta.example' },
  custodians: [
    { number: 1, name: 'Vera', email: 'vera@example.org', language: 'en' },
    { number: 2, name: 'Per', language: 'sv' },
  ],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Social', at: '2017-03-01T09:00:00.000Z' },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: true,
};

const events: AuditEvent[] = [
  { actor: { role: 'social-worker', name: 'Siv Social' }, action: 'referral-submitted', phase: 'intake' },
  {
    actor: { role: 'system' },
    action: 'step-requested',
    phase: 'screening',
    detail: { step: 'screening', recipientRole: 'coordinator' },
  },
  { actor: { role: 'system' }, action: 'step-reminder-sent', phase: 'screening', detail: { reminder: '1' } },
  {
    actor: { role: 'system' },
    action: 'step-failed',
    phase: 'screening',
    detail: { error: 'States.Timeout' },
  },
].map((e, i) => ({
  ...(e as Omit<AuditEvent, 'referralId' | 'at'>),
  referralId: referral.referralId,
  at: new Date(Date.parse('2017-03-01T09:00:00Z') + i * 86_400_000).toISOString(),
}));

/** What a reader sees: the text without tags, and the names of the page's controls. */
const visibleText = (page: string) =>
  page
    .replace(/<(style|script)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
/** The same without the language switch, whose "Svenska" is Swedish on purpose (and marked lang="sv"). */
const pageText = (page: string) => visibleText(page.replace(/<a [^>]*hreflang="sv"[^>]*>Svenska<\/a>/, ' '));

/**
 * Swedish that must not be left on an English page: the letters å, ä and ö (the fixtures' names,
 * districts and citations have none), and Swedish words of the staff pages that have none.
 */
const SWEDISH_WORDS = [
  'och',
  'Barn',
  'barn',
  'Fas',
  'Inkom',
  'Alla',
  'Visa',
  'Filtrera',
  'Logga',
  'Rapport',
  'Anteckningar',
  'Tidslinje',
  'Uppgift',
  'uppgifter',
  'Inga',
  'inte',
  'med',
  'dagar',
  'kl',
  'Fel',
  'Ladda',
  'Bilda',
  'Registrera',
  'Skicka',
  'Klart',
  'Finns',
];
function expectNoSwedish(page: string) {
  const text = pageText(page);
  expect(text.match(/[åäöÅÄÖ]\S*/g) ?? [], 'words with å, ä or ö').toEqual([]);
  for (const word of SWEDISH_WORDS)
    expect(text, word).not.toMatch(new RegExp(`(?<![\\p{L}])${word}(?![\\p{L}])`, 'u'));
}

/** In English, marked so, with the switch to Swedish pointing at the same page. */
function expectEnglishPage(page: string, here: string) {
  expect(page).toContain('<html lang="en">');
  expect(page).toMatch(
    new RegExp(`<a href="${here.replace(/[?.]/g, '\\$&')}" hreflang="sv" lang="sv">Svenska</a>`),
  );
  expect(page).toContain('<nav aria-label="Language" class="language-switch">');
  expectNoSwedish(page);
}

describe('the staff language', () => {
  it('comes from ?lang= when it is one of ours, and otherwise from the browser, Swedish by default', () => {
    expect(requestedLanguage('en')).toBe('en');
    expect(requestedLanguage('de')).toBeUndefined();
    expect(requestedLanguage(undefined)).toBeUndefined();
    expect(browserLanguage('en-GB,en;q=0.9,sv;q=0.8')).toBe('en');
    expect(browserLanguage('sv-SE,sv;q=0.9,en;q=0.8')).toBe('sv');
    expect(browserLanguage('de-DE,en;q=0.5')).toBe('en');
    expect(browserLanguage('de-DE')).toBe('sv');
    expect(browserLanguage('en;q=0, sv;q=0.1')).toBe('sv');
    expect(browserLanguage(undefined)).toBe('sv');
  });

  it('dates are written in the language, in Stockholm time', () => {
    expect(staffDateTime('2017-03-14T09:05:00.000Z', 'en')).toBe('14 Mar 2017, 10:05');
    expect(staffDateTime('2017-03-14T09:05:00.000Z', 'sv')).toBe('2017-03-14 10:05');
  });
});

describe('signed out, in English', () => {
  it('the sign-in page, its error and its confirmation carry the language to the form', () => {
    const page = signInPage('en');
    expectEnglishPage(page, '/staff/sign-in?lang=sv');
    expect(page).toContain('<input type="hidden" name="lang" value="en" />');
    expect(pageText(page)).toContain('Your work email address');

    const parsed = signInSchema().safeParse({ email: 'not an address' });
    expect(parsed.success).toBe(false);
    const error = signInPage('en', { error: parsed.error!.issues[0]!.message });
    expectEnglishPage(error, '/staff/sign-in?lang=sv');
    expect(pageText(error)).toContain('Write the email address as name@example.com.');

    const sent = signInPage('en', { sentForMinutes: 15 });
    expect(pageText(sent)).toContain('The link is valid for 15 minutes.');
    expectNoSwedish(sent);
  });

  it('the sign-in link pages', () => {
    const token = 'a'.repeat(43);
    expectEnglishPage(signInConfirmPage(token, 'en'), `/staff/sign-in/${token}?lang=sv`);
    expectEnglishPage(signInRefusedPage('en'), '/staff/sign-in?lang=sv');
  });

  it('the sign-in email is English, and Swedish as before for Swedish', () => {
    const en = renderEmail(
      'sam@bris.example',
      staffSignIn(session, 'https://x.example/staff/sign-in/t', 15, 'en'),
    );
    expect(en.subject).toBe('Sign in: Bris support groups');
    expect(en.text).toContain('The link works once, for 15 minutes.');
    expect(en.text).not.toMatch(/[åäö]/);
    const sv = renderEmail('sam@bris.example', staffSignIn(session, 'https://x.example/staff/sign-in/t', 15));
    expect(sv.subject).toBe('Logga in: Bris stödgrupper');
    expect(sv.text).toContain('Länken fungerar en gång i 15 minuter.');
  });
});

describe('signed in, in English', () => {
  it('the overview, its filters kept by the switch', () => {
    const page = overviewPage(
      session,
      [
        {
          referralId: referral.referralId,
          district: 'Farsta',
          childLabel: 'Fanny',
          age: 10,
          phase: 'screening',
          status: 'needs-attention',
          createdAt: referral.createdAt,
          failure: { phase: 'screening', error: 'States.Timeout' },
        },
      ],
      ['Farsta'],
      { phase: 'screening' },
    );
    expectEnglishPage(page, '/staff?phase=screening&amp;lang=sv');
    const text = pageText(page);
    expect(text).toContain('Needs attention (technical failure at the step Screening)');
    expect(text).toContain('Fanny, 10 years');
    expect(text).toContain('1 Mar 2017, 10:00');
    expect(text).toContain('My tasks');
    expect(text).not.toContain('States.Timeout');
  });

  it('the referral page: the needs-attention sentence in English, its code folded away; the timeline in English', () => {
    const page = referralPage(session, referral, events, undefined, [
      { kind: 'decline-reason', by: 'Sam Coordinator', at: '2017-03-02T09:00:00.000Z', text: 'Too young' },
    ]);
    expectEnglishPage(page, `/staff/referrals/${referral.referralId}?lang=sv`);
    const text = pageText(page.replace(/<details>[\s\S]*?<\/details>/g, ' '));
    expect(text).toContain(
      'The referral stopped at the step Screening because of a technical failure. The step took too long and was stopped. ' +
        'Try again; if it happens again, contact the system administrators.',
    );
    expect(text).toContain('Try again from the step Screening');
    expect(text).toContain('Reason for the decline');
    expect(text).toContain('Reminder sent: reminder 1 (Screening) – the system');
    expect(text).toContain('Referral submitted (Received) – Siv Social');
    expect(text).not.toContain('States.Timeout');
    expect(page).toMatch(
      /<details>\s*<summary>Technical information<\/summary>\s*<p><code>States\.Timeout<\/code><\/p>\s*<\/details>/,
    );
  });

  it('the legal basis in words', () => {
    const consented: Referral = {
      ...referral,
      status: 'active',
      phase: 'group-assignment',
      failure: undefined,
      legalBasis: {
        kind: 'custodian-consent',
        citation: 'SoL 3 kap. 5 §',
        recordedBy: { role: 'system' },
        at: '2017-03-05T09:00:00.000Z',
      },
    };
    const page = referralPage(session, consented, events.slice(0, 2));
    expect(pageText(page)).toContain('Legal basis consent from every custodian – SoL 3 kap. 5 §');
  });

  it('the report', () => {
    const figures = (district: string): DistrictFigures =>
      ({
        district,
        referrals: 4,
        screenedIn: 3,
        consented: 2,
        placed: 2,
        completed: 1,
        withdrawn: 0,
        attendanceRate: 0.75,
        weekly: 1,
        weekend: 1,
      }) as DistrictFigures;
    const page = reportPage(session, {
      ok: true,
      figures: {
        from: '2017-01-01',
        to: '2017-03-14',
        districts: [figures('Farsta')],
        total: figures('Totalt'),
        trend: [{ month: '2017-01', referrals: 4 }],
      },
    });
    expectEnglishPage(page, '/staff/report?from=2017-01-01&amp;to=2017-03-14&amp;lang=sv');
    const text = pageText(page);
    expect(text).toContain('Partnership follow-up');
    expect(text).toContain('Referrals per city district');
    expect(text).toContain('Total');
  });

  it('a refused view', () => {
    expectEnglishPage(forbiddenPage(session), '/staff?lang=sv');
  });
});

describe('the task inbox in English', () => {
  const tasks: InboxTask[] = [
    {
      kind: 'screening',
      title: 'Screen the referral',
      reference: referral.referralId,
      childLabel: 'Fanny',
      district: 'Farsta',
      dueAt: '2017-03-13T09:00:00.000Z',
      overdue: true,
      href: `/staff/tasks/step/${referral.referralId}/screening`,
    },
  ];

  it('lists its tasks with English titles and dates, overdue marked', () => {
    const page = inboxPage(session, tasks);
    expectEnglishPage(page, '/staff/tasks?lang=sv');
    const text = pageText(page);
    expect(text).toContain('1 task, 1 of them overdue.');
    expect(text).toContain('13 Mar 2017, 10:00 (overdue)');
    expectEnglishPage(inboxPage(session, []), '/staff/tasks?lang=sv');
  });

  it("titles its tasks in the person's language (the use case, on the in-memory store)", async () => {
    const store = new MemoryReferralStore();
    await store.putPartnership(partnership);
    await store.createReferral({ ...referral, status: 'active', failure: undefined });
    const open: LinkRecord = {
      linkHash: 'screening-link',
      referralId: referral.referralId,
      step: 'screening',
      recipient: { role: 'coordinator', name: 'Sam', email: 'samordnare@bris.example', language: 'sv' },
      createdAt: new Date(NOW).toISOString(),
      expiresAt: new Date(NOW + 7 * 86_400_000).toISOString(),
      status: 'open',
      taskToken: 't',
    };
    await store.putLink(open);
    await store.putStep({
      referralId: referral.referralId,
      step: 'screening',
      linkHash: open.linkHash,
      enteredAt: new Date(NOW).toISOString(),
    });
    const clock = { now: () => new Date(NOW) };
    const deps = {
      config: { partnershipId: 'stockholm-bris' },
      store,
      clock,
      wallClock: clock,
      log: { info() {}, warn() {}, error() {} },
      metrics: { count() {}, flush() {} },
    } as unknown as Dependencies;
    expect((await listTasks(session, deps)).map((t) => t.title)).toEqual(['Screen the referral']);
    expect((await listTasks(swedishSession, deps)).map((t) => t.title)).toEqual(['Bedöm anmälan']);
  });

  it('the pages of a task that is gone', () => {
    for (const reason of ['used', 'closed', 'unknown', 'try-again'] as const)
      expectEnglishPage(goneTaskPage(session, reason).body, '/staff/tasks?lang=sv');
  });

  const stepLink = (
    step: 'screening' | 'consent' | 'consent-escalation',
    role: 'coordinator' | 'social-worker',
  ) =>
    ({
      linkHash: `${step}-link`,
      referralId: referral.referralId,
      step,
      custodian: step === 'consent' ? 2 : undefined,
      recipient: { role, name: 'Someone', email: 'x@example.org', language: 'sv' },
      createdAt: new Date(NOW).toISOString(),
      expiresAt: new Date(NOW + 86_400_000).toISOString(),
      status: 'open',
      taskToken: 't',
    }) as LinkRecord;
  const task = (
    step: 'screening' | 'consent' | 'consent-escalation',
    role: 'coordinator' | 'social-worker',
  ) =>
    ({
      kind: 'open',
      step,
      link: stepLink(step, role),
      record: {
        referralId: referral.referralId,
        step,
        linkHash: `${step}-link`,
        enteredAt: referral.createdAt,
      },
      referral: { ...referral, status: 'active', failure: undefined },
      retentionMonths: 24,
    }) as Exclude<StepTask, { kind: 'gone' }>;
  const action = (segment: string) => `/staff/tasks/step/${referral.referralId}/${segment}`;

  it("the screening form, and its errors from the step's own schema, in English", () => {
    const page = stepTaskPage(session, task('screening', 'coordinator'), action('screening')).body;
    expectEnglishPage(page, `${action('screening')}?lang=sv`);
    expect(pageText(page)).toContain('Screen the referral R-ENGL-0001');
    expect(pageText(page)).toContain('Back to My tasks');

    const parsed = HUMAN_STEP_MODULES.screening
      .answer!.schema('coordinator')
      .safeParse({ action: 'decline', reason: 'x' });
    expect(parsed.success).toBe(false);
    const invalid = stepTaskPage(
      session,
      task('screening', 'coordinator'),
      action('screening'),
      fieldErrors(parsed.error!),
    );
    expectEnglishPage(invalid.body, `${action('screening')}?lang=sv`);
    expect(pageText(invalid.body)).toContain('Write a reason for the decision (at least 3 characters).');
    expect(pageText(invalid.body)).toContain('Your answer could not be recorded');
  });

  it('the paper consent and the missing-consent forms of a social worker, with their errors', () => {
    const consent = task('consent', 'social-worker');
    const page = stepTaskPage(socialWorker, consent, action('consent-2')).body;
    expectEnglishPage(page, `${action('consent-2')}?lang=sv`);
    expect(pageText(page)).toContain("Record the custodian's answer");
    const parsed = HUMAN_STEP_MODULES.consent.answer!.schema('social-worker').safeParse({});
    const invalid = stepTaskPage(socialWorker, consent, action('consent-2'), fieldErrors(parsed.error!)).body;
    expect(pageText(invalid)).toContain('Choose whether the custodian consented or not.');
    expectNoSwedish(invalid);

    const escalation = task('consent-escalation', 'social-worker');
    const escalationPage = stepTaskPage(socialWorker, escalation, action('consent-escalation')).body;
    // The law is cited by its Swedish name; nothing else is Swedish.
    expectEnglishPage(
      escalationPage.replace('Föräldrabalken', 'FB'),
      `${action('consent-escalation')}?lang=sv`,
    );
    const wrongDate = HUMAN_STEP_MODULES['consent-escalation'].answer!.schema('social-worker').safeParse({
      action: 'committee-decision',
      decisionDate: '2017-02-30',
      caseReference: 'S',
    });
    const errors = fieldErrors(wrongDate.error!);
    const invalid2 = stepTaskPage(socialWorker, escalation, action('consent-escalation'), errors).body;
    expect(pageText(invalid2)).toContain('The date of the decision does not exist in the calendar.');
    expect(pageText(invalid2)).toContain("Write the decision's case number (at least 3 characters).");
  });

  it('the page after an answer', () => {
    const page = stepDonePage(session, stepLink('screening', 'coordinator'), { action: 'approve' }).body;
    expectEnglishPage(page, '/staff/tasks?lang=sv');
    expect(pageText(page)).toContain('The referral is approved.');
  });

  it("the pool's proposal form, with a refused form's errors, and the attendance form", () => {
    const poolLink = {
      ...stepLink('screening', 'coordinator'),
      step: 'group-proposal',
      referralId: 'pool',
      ageBand: '10-12',
    } as LinkRecord;
    const member = {
      referralId: referral.referralId,
      label: 'Fanny',
      age: 10,
      district: 'Farsta',
      waitingDays: 3,
      noWeekdays: true,
    };
    const proposal: GroupLinkResult = {
      kind: 'proposal',
      status: 400,
      forecastFrom: 'settings',
      link: poolLink,
      ageBand: '10-12',
      members: [member],
      suggestion: { format: 'weekend', ageBand: '10-12', members: [referral.referralId] },
      proposals: [{ format: 'weekend', ageBand: '10-12', members: [referral.referralId] }],
      // Why: the proposed weekend, and what one more week would change.
      outlook: {
        ageBand: '10-12',
        waiting: [
          {
            referralId: referral.referralId,
            district: 'Farsta',
            waitingSince: '2017-03-11T09:00:00.000Z',
            daysWaited: 3,
            noWeekdays: true,
          },
        ],
        proposed: [{ format: 'weekend', size: 1, districts: ['Farsta'], members: [referral.referralId] }],
        oldestWaitDays: 3,
        oneMoreWeek: {
          expectedArrivals: 0.2,
          arrivalsAssumed: 0,
          proposed: [{ format: 'weekend', size: 1 }],
          expectedGroupSize: 1,
          oldestWaitDays: 10,
        },
      },
      partnership,
      today: '2017-03-14',
      errors: {
        startDate: 'Skriv startdatum som ÅÅÅÅ-MM-DD.',
        _form: 'Formuläret är ofullständigt. Ladda om sidan.',
      },
      values: { format: 'weekend' },
    };
    const here = '/staff/tasks/pool/10-12';
    const page = groupTaskPage(session, proposal, here).body;
    expectEnglishPage(page, `${here}?lang=sv`);
    const text = pageText(page);
    expect(text).toContain('Form a group: 10-12 years');
    expect(text).toContain('Write the start date as YYYY-MM-DD.');
    expect(text).toContain('The form is incomplete. Reload the page.');
    expect(text).toContain('3 days (not on weekdays), since 2017-03-11');
    expect(text).toContain('If we wait one more week, 10-12 years');
    expect(text).toContain('Longest wait 3 days 10 days');
    expect(text).toContain('Tuesdays at 17:00');

    const attendance: GroupLinkResult = {
      kind: 'attendance',
      status: 200,
      link: { ...poolLink, step: 'attendance', referralId: 'g-10-12-abc', meeting: 2 },
      group: {
        partnershipId: 'stockholm-bris',
        groupId: 'g-10-12-abc',
        name: 'Weekend 10-12',
        format: 'weekend',
        ageBand: '10-12',
        status: 'running',
        capacity: 8,
        memberCount: 1,
        startDate: '2017-03-18',
      },
      meeting: {
        index: 2,
        kind: 'weekend-day',
        startsAt: '2017-03-19T09:00:00.000Z',
        endsAt: '2017-03-19T15:00:00.000Z',
      },
      members: [member],
    };
    const attendancePage = groupTaskPage(
      session,
      attendance,
      '/staff/tasks/step/g-10-12-abc/attendance-2',
    ).body;
    expectEnglishPage(attendancePage, '/staff/tasks/step/g-10-12-abc/attendance-2?lang=sv');
    expect(pageText(attendancePage)).toContain('Attendance, meeting 2');
    expect(pageText(attendancePage)).toContain('Sunday 19 March at 10:00');
  });
});

describe('Swedish stays the default, as it was', () => {
  it('a session without a language gets Swedish pages, with the switch to English', () => {
    const page = inboxPage(swedishSession, []);
    expect(page).toContain('<html lang="sv">');
    expect(page).toContain('<a href="/staff/tasks?lang=en" hreflang="en" lang="en">English</a>');
    expect(visibleText(page)).toContain('Du har inga öppna uppgifter just nu.');
    expect(visibleText(signInPage('sv'))).toContain('Din e-postadress i arbetet');
  });
});
