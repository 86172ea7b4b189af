/** A partnership (IOP) between the city and Bris: data, not code. */
import * as z from 'zod/mini';
import './messages';
import type { FollowUpSettings } from './follow-up';
import type { GroupingSettings } from './grouping';
import type { Language } from './referral';
import type { Meeting, ScheduleSettings, WeeklySlot } from './schedule';
import type { RecipientRole } from './steps';
import { isIsoCalendarDate } from './stockholm-dates';

export interface Partnership {
  id: string;
  name: string;
  /** Inclusive ISO dates, Europe/Stockholm calendar. */
  periodStart: string;
  periodEnd: string;
  funded: boolean;
  districts: string[];
  ageMin: number;
  ageMax: number;
  coordinator: { name: string; email: string };
  /** Whom the privacy notice names for data protection questions (the data protection officer), if set. */
  dataProtectionContact?: { name: string; email: string };
  /**
   * The email domains of the partnership's social services (lower case, e.g. `stockholm.se`): the referral
   * form accepts a social worker's address only at one of them, exactly (domain/social-services.ts).
   */
  socialServicesDomains: string[];
  groupCapacity: number;
  consent: ConsentSettings;
  /** How long personal data is kept after a referral closes (shown on the consent page). */
  retentionMonths: number;
  groups: GroupSettings;
  followUp: FollowUpSettings;
  /** Who may sign in to the staff pages (allow-list), with their role. */
  staff: StaffMember[];
  /** Reminders, escalation and the final deadline of the steps a person may leave unanswered. */
  stepTiming?: Partial<Record<TimedStep, StepTiming>>;
}

/**
 * The steps with a timing policy (consent has its own, in `consent`). `group-assignment` is the coordinator's
 * group proposal for an age band's pool: its clock counts from when the planner first proposed a group for
 * the band, and it has no deadline of its own (the pool ends at `groups.grouping.maxPoolDays`).
 */
export const TIMED_STEPS = [
  'screening',
  'information-request',
  'consent-escalation',
  'group-assignment',
  'home-visit',
  'attendance',
] as const;
export type TimedStep = (typeof TIMED_STEPS)[number];

/**
 * When a silent owner is reminded (days after the step was first asked), when the step is escalated to
 * the person above the owner, and when the final deadline ends it with a recorded outcome.
 */
export interface StepTiming {
  reminderDays: number[];
  escalationDays: number;
  /**
   * Counted like the rest. The group proposal has none: each waiting child's own deadline is the pool's
   * `maxPoolDays`, counted from when the child began to wait.
   */
  deadlineDays?: number;
}

export const DEFAULT_STEP_TIMING: Record<TimedStep, StepTiming> = {
  screening: { reminderDays: [3, 7], escalationDays: 10, deadlineDays: 21 },
  'information-request': { reminderDays: [3, 7], escalationDays: 10, deadlineDays: 14 },
  'consent-escalation': { reminderDays: [3, 7], escalationDays: 10, deadlineDays: 14 },
  'group-assignment': { reminderDays: [3, 7], escalationDays: 10 },
  // Counted from when the child is proposed for a group; it ends sooner when the group meets first
  // (home-visit-step.ts): no child joins a group Bris has not met at home.
  'home-visit': { reminderDays: [3, 7], escalationDays: 10, deadlineDays: 14 },
  // Counted from when the leader is asked, just after the meeting ends: still fresh in mind on days 1 and 3.
  attendance: { reminderDays: [1, 3], escalationDays: 5, deadlineDays: 10 },
};

/**
 * The instants (ms) of a step's reminders, escalation and deadline, counted from when it was first asked;
 * a step without `deadlineDays` gives its own final deadline.
 */
export function stepSchedule(
  t: StepTiming,
  since: number,
  finalDeadlineAt?: number,
): { reminders: number[]; escalationAt: number; deadlineAt: number } {
  const day = 86_400_000;
  const deadlineAt =
    finalDeadlineAt ?? (t.deadlineDays === undefined ? undefined : since + t.deadlineDays * day);
  if (deadlineAt === undefined) throw new Error('A step without deadlineDays needs its own final deadline');
  return {
    reminders: t.reminderDays.map((d) => since + d * day),
    escalationAt: since + t.escalationDays * day,
    deadlineAt,
  };
}

/** A partnership's timing for a step: its own setting, or the default. */
export function stepTimingOf(p: Pick<Partnership, 'stepTiming'>, step: TimedStep): StepTiming {
  return p.stepTiming?.[step] ?? DEFAULT_STEP_TIMING[step];
}

export type StaffRole = 'coordinator' | 'social-worker' | 'partnership-admin';

export interface StaffMember {
  email: string;
  name: string;
  role: StaffRole;
  /** Social workers see only their own district's referrals. */
  district?: string;
  /** The language of the staff emails this person gets (notifications, reminders, escalations); Swedish when unset. */
  language?: Language;
}

/** The language a staff member reads email in: her own setting on the staff list, else Swedish. */
export function staffLanguageOf(p: Pick<Partnership, 'staff'>, email: string): Language {
  const address = email.trim().toLowerCase();
  return p.staff.find((m) => m.email.trim().toLowerCase() === address)?.language ?? 'sv';
}

/** Groups and meetings: all partnership data (the groups issue builds the workflow that uses them). */
export interface GroupSettings {
  grouping: GroupingSettings;
  schedule: ScheduleSettings;
  premises: { name: string; address: string };
  weeklySlots: WeeklySlot[];
}

export interface ConsentSettings {
  /** Days after the request when a silent custodian is reminded. */
  reminderDays: number[];
  /** Days after the request when the social worker is asked what to do. */
  deadlineDays: number;
  /** Days an extension adds, counted from the social worker's choice. */
  extensionDays: number;
  /** Days the social worker has to answer an escalation before the referral needs attention. */
  escalationAnswerDays: number;
  committeeDecisionCitation: string;
  /** A child of `fromAge` or more may consent alone to an open intervention, where the law and the partnership allow it. */
  childConsent: { allowed: boolean; fromAge: number; citation: string };
}

export const DEFAULT_CONSENT_SETTINGS: ConsentSettings = {
  reminderDays: [3, 7],
  deadlineDays: 14,
  extensionDays: 14,
  escalationAnswerDays: 14,
  committeeDecisionCitation: 'Föräldrabalken 6 kap. 13 a §',
  childConsent: {
    allowed: false,
    fromAge: 12,
    // The Social Services Act was replaced on 2025-07-01; the citation is configuration so it can follow the law.
    citation: 'Socialtjänstlagen (2025:400): barn som fyllt 12 år får själv samtycka till öppna insatser',
  },
};

export interface Group {
  partnershipId: string;
  groupId: string;
  name: string;
  format: 'weekly' | 'weekend';
  ageBand: string;
  /** `cancelled`: a confirmation that did not take (its link was used by another, or no child was free). */
  status: 'forming' | 'running' | 'completed' | 'cancelled';
  capacity: number;
  memberCount: number;
  /** Weekly groups meet in this slot; set when the coordinator confirms the group. */
  slot?: WeeklySlot;
  startDate?: string;
  meetings?: Meeting[];
  confirmedAt?: string;
  /**
   * What the coordinator confirmed, recorded before any child is placed: a confirmation cut off half-way
   * (a crash, a Lambda timeout) is finished from it, on restart or when the coordinator sends the form again.
   */
  confirmation?: {
    members: string[];
    by: string;
    linkHash: string;
    /**
     * Her answer against the planner's proposal, recorded on each affected child's timeline once the
     * children are placed (the group workflow's PlaceMembers): who it concerns, what the event says, and
     * what the planner proposed then (`shown`: the pool's proposal clock stops at it).
     */
    answer?: { role: RecipientRole; affected: string[]; detail: Record<string, string>; shown: string[] };
    /** Confirmed from the staff inbox (its own single-use link): each chosen child's timeline says so. */
    via?: 'staff-inbox';
  };
  /** Bris group leader who reports on the group; the coordinator when unset. */
  leader?: { name: string; email: string };
  /**
   * The group's execution failed at this step (for `meetings`, at this meeting) and needs attention until
   * the coordinator retries it (`retriedAt`); kept afterwards as history, as a referral's failure is.
   */
  failure?: GroupFailure;
}

/** Where a group's execution can be resumed: its steps in order (see workflows/group-workflow.ts). */
export const GROUP_STEPS = ['schedule', 'meetings', 'complete'] as const;
export type GroupStep = (typeof GROUP_STEPS)[number];

export interface GroupFailure {
  step: GroupStep;
  /** The meeting that failed (step `meetings`): the retry goes on from it. */
  meeting?: number;
  error: string;
  at: string;
  retriedAt?: string;
}

/** A group whose execution failed and has not been retried since. */
export function groupNeedsAttention(group: Pick<Group, 'failure'>): boolean {
  return !!group.failure && !group.failure.retriedAt;
}

/** The 14 districts (stadsdelsområden) of 2017; since 2020-07-01 a partnership may list 13. */
export const STOCKHOLM_DISTRICTS_2017 = [
  'Rinkeby-Kista',
  'Spånga-Tensta',
  'Hässelby-Vällingby',
  'Bromma',
  'Kungsholmen',
  'Norrmalm',
  'Östermalm',
  'Södermalm',
  'Enskede-Årsta-Vantör',
  'Skarpnäck',
  'Farsta',
  'Älvsjö',
  'Hägersten-Liljeholmen',
  'Skärholmen',
] as const;

// ---- The schema the partnership is read with (the table item, `partnerships/*.json`) ---------------

/**
 * Upper limits of the settings that decide how long a referral's executions wait. A Standard execution
 * lives at most a year, and `workflows/execution-bounds.ts` adds these up into each execution's longest
 * path (`test/infra/longest-execution.test.ts` fails if it passes the machine's timeout): raise one only
 * together with that sum.
 */
export const PARTNERSHIP_LIMITS = {
  consentDeadlineDays: 21,
  consentExtensionDays: 21,
  consentReminders: 3,
  escalationAnswerDays: 20,
  maxPoolDays: 180,
  weeklyMeetings: 10,
  weekendFullDays: 4,
  weekendFollowUpWeeks: 12,
  summaryAfterDays: 30,
  laterFollowUpMonths: 6,
  laterReminderDays: 21,
  /** A questionnaire round's end; as long as the older setting's (twice laterReminderDays) allowed. */
  questionnaireAnswerDays: 42,
  questionnaireReminders: 2,
  stepDeadlineDays: 21,
  stepReminders: 3,
  /** Lower than other steps': a group's execution waits out this deadline once per meeting. */
  attendanceDeadlineDays: 14,
} as const;
const L = PARTNERSHIP_LIMITS;
/**
 * The partnership's schema, built on its first use rather than at import: a few hundred zod objects that
 * every function's cold start would otherwise build before its first request (see bench/bundles.ts).
 */
function buildPartnershipSchema() {
  const atMost = (limit: number, what: string) =>
    z.int().check(
      z.positive(),
      z.maximum(limit, {
        error: `at most ${limit} ${what}: the workflow's waits are proven to fit AWS's one-year limit with it`,
      }),
    );

  const isoDate = z
    .string()
    .check(
      z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'),
      z.refine(isIsoCalendarDate, 'not a calendar date'),
    );
  const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:mm'));
  const days = z.int().check(z.minimum(0), z.maximum(365));
  const text = z.string().check(z.trim(), z.minLength(1));
  const email = z.email();
  /** A domain as it appears after the `@`: lower-case labels separated by dots (no `@`, no scheme). */
  const emailDomainName = z
    .string()
    .check(
      z.regex(
        /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
        'a lower-case email domain such as stockholm.se (no @, no upper case)',
      ),
    );
  const questionnaire = z.strictObject({
    items: z
      .array(z.strictObject({ id: text, text, textEn: z.optional(text) }))
      .check(z.minLength(1), z.maxLength(5)),
    freeTextLabel: text,
    freeTextLabelEn: z.optional(text),
  });

  const proposalTimingSchema = z.strictObject({
    reminderDays: z.array(z.int().check(z.positive())).check(z.maxLength(L.stepReminders)),
    escalationDays: z.int().check(z.positive()),
  });
  const questionnaireTimingSchema = z.strictObject({
    reminderDays: z.array(z.int().check(z.positive())).check(z.maxLength(L.questionnaireReminders)),
    answerDays: z.int().check(
      z.minimum(0),
      z.maximum(L.questionnaireAnswerDays, {
        error: `at most ${L.questionnaireAnswerDays} days: the workflow's waits are proven to fit AWS's one-year limit with it`,
      }),
    ),
  });

  const timingSchema = (deadlineLimit: number) =>
    z.extend(proposalTimingSchema, { deadlineDays: atMost(deadlineLimit, 'days') });
  const stepTimingSchema = timingSchema(L.stepDeadlineDays);

  /**
   * Strict: an unknown field (a typo such as `districs`) is an error, not silently ignored. Cross-field
   * rules: the period runs forwards, ages and group sizes are ordered, every social worker's district is
   * one of the partnership's, the coordinator is on the staff list as coordinator.
   */
  return z
    .strictObject({
      id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and hyphens only')),
      name: text,
      periodStart: isoDate,
      periodEnd: isoDate,
      funded: z.boolean(),
      districts: z.array(text).check(z.minLength(1)),
      ageMin: z.int().check(z.minimum(0), z.maximum(25)),
      ageMax: z.int().check(z.minimum(0), z.maximum(25)),
      coordinator: z.strictObject({ name: text, email }),
      dataProtectionContact: z.optional(z.strictObject({ name: text, email })),
      socialServicesDomains: z.array(emailDomainName).check(z.minLength(1)),
      groupCapacity: z.int().check(z.positive()),
      consent: z.strictObject({
        reminderDays: z
          .array(z.int().check(z.minimum(0), z.maximum(365), z.positive()))
          .check(z.maxLength(L.consentReminders)),
        deadlineDays: atMost(L.consentDeadlineDays, 'days'),
        extensionDays: atMost(L.consentExtensionDays, 'days'),
        escalationAnswerDays: atMost(L.escalationAnswerDays, 'days'),
        committeeDecisionCitation: text,
        childConsent: z.strictObject({
          allowed: z.boolean(),
          fromAge: z.int().check(z.minimum(0), z.maximum(18)),
          citation: text,
        }),
      }),
      retentionMonths: z.int().check(z.positive(), z.maximum(120)),
      groups: z.strictObject({
        grouping: z.strictObject({
          ageBands: z
            .array(z.strictObject({ label: text, min: z.int(), max: z.int() }))
            .check(z.minLength(1)),
          minGroupSize: z.int().check(z.positive()),
          maxGroupSize: z.int().check(z.positive()),
          minWeekendSize: z.int().check(z.positive()),
          maxWaitDaysBeforeWeekend: days,
          maxPoolDays: atMost(L.maxPoolDays, 'days'),
          // The planner's look-ahead and age rule (domain/grouping.ts); defaults when left out.
          targetGroupSize: z.optional(z.int().check(z.positive())),
          maxAgeSpanYears: z.optional(z.int().check(z.minimum(0), z.maximum(18))),
          expectedConsentsPerYear: z.optional(z.number().check(z.minimum(0), z.maximum(10_000))),
        }),
        schedule: z.strictObject({
          weekly: z.strictObject({
            meetings: atMost(L.weeklyMeetings, 'meetings'),
            hours: z.number().check(z.positive()),
          }),
          weekend: z.strictObject({
            fullDays: atMost(L.weekendFullDays, 'days'),
            dayStart: hhmm,
            dayEnd: hhmm,
            followUpWeeksAfter: z.int().check(z.minimum(0), z.maximum(L.weekendFollowUpWeeks)),
          }),
        }),
        premises: z.strictObject({ name: text, address: text }),
        weeklySlots: z.array(
          z.strictObject({ weekday: z.int().check(z.minimum(1), z.maximum(7)), start: hhmm }),
        ),
      }),
      followUp: z.strictObject({
        child: questionnaire,
        carer: questionnaire,
        summaryAfterDays: z.int().check(z.minimum(0), z.maximum(L.summaryAfterDays)),
        laterFollowUpMonths: z.int().check(z.minimum(0), z.maximum(L.laterFollowUpMonths)),
        questionnaires: z.optional(
          z.strictObject({
            first: z.optional(questionnaireTimingSchema),
            later: z.optional(questionnaireTimingSchema),
          }),
        ),
        laterReminderDays: z.optional(z.int().check(z.minimum(0), z.maximum(L.laterReminderDays))),
      }),
      stepTiming: z.optional(
        z.strictObject({
          screening: z.optional(stepTimingSchema),
          'information-request': z.optional(stepTimingSchema),
          'consent-escalation': z.optional(stepTimingSchema),
          // No deadlineDays: the pool's own deadline (groups.grouping.maxPoolDays) ends the wait.
          'group-assignment': z.optional(proposalTimingSchema),
          'home-visit': z.optional(stepTimingSchema),
          attendance: z.optional(timingSchema(L.attendanceDeadlineDays)),
        }),
      ),
      staff: z.array(
        z.strictObject({
          email,
          name: text,
          role: z.enum(['coordinator', 'social-worker', 'partnership-admin']),
          district: z.optional(text),
          language: z.optional(z.enum(['sv', 'en'])),
        }),
      ),
    })
    .check(
      z.superRefine((p, ctx) => {
        const issue = (path: (string | number)[], message: string) =>
          ctx.addIssue({ code: 'custom', path, message });
        for (const step of TIMED_STEPS) {
          const t = p.stepTiming?.[step];
          if (!t) continue;
          // Reminders, then the escalation, then the deadline: each ends the step's clock in order.
          if (t.reminderDays.some((d) => d >= t.escalationDays))
            issue(
              ['stepTiming', step, 'reminderDays'],
              `every reminder must come before escalationDays ${t.escalationDays}`,
            );
          const deadlineDays = 'deadlineDays' in t ? t.deadlineDays : p.groups.grouping.maxPoolDays;
          if (t.escalationDays >= deadlineDays)
            issue(
              ['stepTiming', step, 'escalationDays'],
              'deadlineDays' in t
                ? `must come before deadlineDays ${deadlineDays}`
                : `must come before the pool's maxPoolDays ${deadlineDays}`,
            );
        }
        for (const round of ['first', 'later'] as const) {
          const t = p.followUp.questionnaires?.[round];
          if (t?.reminderDays.some((d) => d >= t.answerDays))
            issue(
              ['followUp', 'questionnaires', round, 'reminderDays'],
              `every reminder must come before answerDays ${t.answerDays}`,
            );
        }
        // The summary tells the social worker whether the first questionnaire was answered: it ends by then.
        const first = p.followUp.questionnaires?.first;
        if (first && first.answerDays > p.followUp.summaryAfterDays)
          issue(
            ['followUp', 'questionnaires', 'first', 'answerDays'],
            `must not come after summaryAfterDays ${p.followUp.summaryAfterDays}`,
          );
        if (p.periodEnd < p.periodStart) issue(['periodEnd'], `ends before periodStart ${p.periodStart}`);
        if (p.ageMax < p.ageMin) issue(['ageMax'], `is below ageMin ${p.ageMin}`);
        const g = p.groups.grouping;
        if (g.maxGroupSize < g.minGroupSize)
          issue(['groups', 'grouping', 'maxGroupSize'], `is below minGroupSize ${g.minGroupSize}`);
        if (
          g.targetGroupSize !== undefined &&
          (g.targetGroupSize < g.minGroupSize || g.targetGroupSize > g.maxGroupSize)
        )
          issue(
            ['groups', 'grouping', 'targetGroupSize'],
            `must be between minGroupSize ${g.minGroupSize} and maxGroupSize ${g.maxGroupSize}`,
          );
        // Past the pool's longest wait the child has left: the planner must settle for a smaller group before.
        if (g.maxWaitDaysBeforeWeekend >= g.maxPoolDays)
          issue(
            ['groups', 'grouping', 'maxWaitDaysBeforeWeekend'],
            `must be below maxPoolDays ${g.maxPoolDays}`,
          );
        g.ageBands.forEach((b, i) => {
          if (b.max < b.min) issue(['groups', 'grouping', 'ageBands', i, 'max'], `is below min ${b.min}`);
        });
        p.staff.forEach((m, i) => {
          if (m.role === 'social-worker' && m.district !== undefined && !p.districts.includes(m.district))
            issue(['staff', i, 'district'], `"${m.district}" is not one of the partnership's districts`);
        });
        const coordinator = p.coordinator.email.toLowerCase();
        if (!p.staff.some((m) => m.role === 'coordinator' && m.email.toLowerCase() === coordinator))
          issue(
            ['coordinator', 'email'],
            'the coordinator must be on the staff list with role "coordinator"',
          );
      }),
    ) satisfies z.ZodMiniType<Partnership>;
}

let builtSchema: ReturnType<typeof buildPartnershipSchema> | undefined;
const schema = () => (builtSchema ??= buildPartnershipSchema());

/** Parses and checks a partnership (`parse` throws, `safeParse` reports); the schema is built on first use. */
export const partnershipSchema = {
  parse: (data: unknown): Partnership => schema().parse(data),
  safeParse: (data: unknown) => schema().safeParse(data),
};

/** Every problem of a candidate partnership, one line each, naming the field: `groups.weeklySlots.0.start: …`. */
export function partnershipProblems(data: unknown): string[] {
  const result = partnershipSchema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.map((i) => {
    const path = i.path.map(String).join('.') || '(the partnership)';
    return `${path}: ${i.message}`;
  });
}

/** Parses a partnership (a table item without its keys, or a file's JSON); throws naming every bad field. */
export function parsePartnership(data: unknown, source = 'partnership'): Partnership {
  const result = partnershipSchema.safeParse(data);
  if (result.success) return result.data;
  throw new Error(`Invalid ${source}:\n  ${partnershipProblems(data).join('\n  ')}`);
}
