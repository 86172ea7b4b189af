/**
 * Redeeming a group link: the coordinator confirming a group (which plans its meetings around Swedish
 * holidays) and the group leader recording attendance. Kept apart from groups.ts so that the group
 * workflow's task functions, which import groups.ts, do not bundle the scheduling code; only the links
 * and staff functions need it (the holiday calendar itself is small now: domain/swedish-holidays.ts).
 */
import type { Language } from '../../domain/referral';
import { randomBytes } from 'node:crypto';
import type { Group } from '../../domain/partnership';
import { fieldErrors } from '../../domain/referral-form';
import {
  MAX_GROUP_SPAN_DAYS,
  scheduleSpanDays,
  weekendSchedule,
  weeklySchedule,
} from '../../domain/schedule';
import * as z from 'zod/mini';
import { onFirstUse } from '../../shared/on-first-use';
import { message } from '../../domain/messages';
import { attendanceAnswer } from '../../domain/steps';
import { stockholmDate, stockholmDateOf, stockholmMoment } from '../../domain/stockholm-dates';
import { renderEmail } from '../../web/emails/render';
import { absenceNotice } from './emails';
import { StepNoLongerOpenError, type Dependencies, type LinkRecord } from '../../ports';
import { audit, notifyOnce } from '../../kernel/audit';
import {
  attendanceView,
  auditGroupLink,
  proposalView,
  namedMembers,
  poolSnapshot,
  readAttendance,
  refusal,
  type AttendanceReads,
  type PoolReads,
  type GroupLinkResult,
} from './groups';
import { loadReferral } from '../../kernel/referrals';
import { placeChild } from './seats';
import { coordinatorChoice, type CoordinatorAnswer } from '../../domain/placement-outlook';
import { proposalAnswered } from './pool-clock';

/** The link's reader's words: the coordinator or group leader acting from the staff inbox may read English. */
/** A done page's sentence in both languages: the page shows the one its reader chose (pages.ts). */
const bothLanguages = (sv: string, en: string): Record<Language, string> => ({ sv, en });
/** A field error in both languages: the page shows it in the reader's (errorsInLanguage). */
const fieldMessage = (sv: string, en: string): string => message({ sv, en });

const START_DATE_FORMAT = message({
  sv: 'Skriv startdatum som ÅÅÅÅ-MM-DD.',
  en: 'Write the start date as YYYY-MM-DD.',
});

/** Members are chosen with `member-<referralId>` checkboxes; the use case checks them against the pool. */
export const groupProposalAnswer = onFirstUse(() =>
  z.discriminatedUnion(
    'action',
    [
      z.looseObject({
        action: z.literal('confirm'),
        format: z.enum(['weekly', 'weekend'], {
          error: message({
            sv: 'Välj veckogrupp eller stödhelg.',
            en: 'Choose a weekly group or a support weekend.',
          }),
        }),
        slot: z.optional(
          z.string().check(
            z.regex(/^[1-7]-\d{2}:\d{2}$/, {
              error: message({
                sv: 'Välj en veckotid för veckogruppen.',
                en: 'Choose a time of the week for the weekly group.',
              }),
            }),
          ),
        ),
        startDate: z.string({ error: START_DATE_FORMAT }).check(
          z.trim(),
          z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: START_DATE_FORMAT }),
          z.refine((d) => stockholmMoment(d) !== undefined, {
            error: message({
              sv: 'Startdatumet finns inte i kalendern.',
              en: 'The start date does not exist in the calendar.',
            }),
          }),
        ),
      }),
      z.object({ action: z.literal('postpone') }),
    ],
    {
      error: message({
        sv: 'Välj om gruppen ska bekräftas eller vänta.',
        en: 'Choose whether to confirm the group or to wait.',
      }),
    },
  ),
);

/** The coordinator confirms a group from the band's pool, or lets the proposal wait. */
export async function redeemProposalLink(
  link: LinkRecord,
  body: Record<string, string>,
  deps: Dependencies,
  /** The pool as read beside the link (the form named it). */
  pool?: PoolReads,
): Promise<GroupLinkResult> {
  const refused = refusal(deps, link);
  if (refused) {
    const unfinished = await unfinishedConfirmation(deps, link);
    if (unfinished) return unfinished;
    await auditGroupLink(deps, link, `refused-${refused.kind === 'refused' ? refused.reason : ''}`);
    return refused;
  }
  const parsed = groupProposalAnswer().safeParse(body);
  const view = await proposalView(deps, link, await poolSnapshot(deps, link.recipient.language, pool));
  if (!parsed.success) return { ...view, status: 400, errors: fieldErrors(parsed.error), values: body };
  const action = parsed.data as {
    action: 'confirm' | 'postpone';
    format?: 'weekly' | 'weekend';
    slot?: string;
    startDate?: string;
  };
  if (action.action === 'postpone') {
    if ((await deps.store.useLink(link.linkHash, deps.clock.now().toISOString(), 'postpone')) !== 'ok')
      return { kind: 'refused', link, reason: 'used' };
    await auditGroupLink(
      deps,
      link,
      'postpone',
      view.members.map((m) => m.referralId),
    );
    await auditProposalAnswer(deps, link, view, { action: 'postpone' }, link.linkHash);
    // She chose to wait: the proposal's clock stops until the planner proposes something new.
    await proposalAnswered(deps, view.ageBand, view.proposals);
    return {
      kind: 'group-done',
      link,
      message: bothLanguages(
        'Förslaget väntar. Barnen står kvar i kön och du får ett nytt förslag när fler väntar.',
        'The proposal waits. The children stay in the queue and you get a new proposal when more are waiting.',
      ),
    };
  }
  return confirmGroup(
    deps,
    link,
    view,
    { ...action, format: action.format!, startDate: action.startDate! },
    body,
  );
}

/**
 * Her answer against the planner's proposal, on the timeline of every child it concerns: accepted or
 * overruled, what she changed, and the outlook's figures the page showed her (recomputed from the same
 * pool at the same moment, not taken from the form). Once per answer (`answerKey`).
 */
async function auditProposalAnswer(
  deps: Dependencies,
  link: LinkRecord,
  view: Extract<GroupLinkResult, { kind: 'proposal' }>,
  answer: CoordinatorAnswer,
  answerKey: string,
): Promise<void> {
  const { affected, detail } = coordinatorChoice(view.suggestion, view.outlook, answer);
  // Each child's event on her own timeline: side by side.
  await Promise.all(
    affected.map((referralId) =>
      audit(
        deps,
        {
          referralId,
          actor: { role: link.recipient.role, name: link.recipient.name },
          action: 'group-proposal-answered',
          phase: 'group-assignment',
          detail: { ageBand: view.ageBand, ...detail },
        },
        `group-proposal-answered-${answerKey}`,
      ),
    ),
  );
}

/** The group leader records who came to a meeting. */
export async function redeemAttendanceLink(
  link: LinkRecord,
  body: Record<string, string>,
  deps: Dependencies,
  prefetched?: AttendanceReads,
): Promise<GroupLinkResult> {
  const refused = refusal(deps, link);
  if (refused) {
    await auditGroupLink(deps, link, `refused-${refused.kind === 'refused' ? refused.reason : ''}`);
    return refused;
  }
  const parsed = attendanceAnswer().safeParse(body);
  // The group, its members and its earlier attendance (for two absences in a row): read beside the link
  // when the form named the group (prefetched), else now, side by side.
  const reads = prefetched ?? (await readAttendance(deps, link.referralId, namedMembers(body)));
  const view = await attendanceView(deps, link, reads);
  if (view.kind !== 'attendance') return view;
  const errors: Record<string, string> = {};
  const say = fieldMessage;
  for (const m of view.members)
    if (!['present', 'absent'].includes(body[`present-${m.referralId}`] ?? ''))
      errors[`present-${m.referralId}`] = say(
        `Välj närvarande eller frånvarande för ${m.referralId}.`,
        `Choose present or absent for ${m.referralId}.`,
      );
  if (!parsed.success || Object.keys(errors).length)
    return {
      ...view,
      status: 400,
      errors: { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...errors },
    };
  return recordAttendance(deps, link, view, body, reads);
}

/**
 * The coordinator sends the form again after a confirmation was cut off half-way (in AWS, a Lambda that
 * timed out after using the link): the stored confirmation is finished and the page says so.
 */
async function unfinishedConfirmation(
  deps: Dependencies,
  link: LinkRecord,
): Promise<GroupLinkResult | undefined> {
  const groupId = link.usedAction?.startsWith('confirm:') && link.usedAction.slice(8);
  if (!groupId) return undefined;
  const group = await deps.store.getGroup(deps.config.partnershipId, groupId);
  if (group?.status !== 'forming' || !group.confirmation) return undefined;
  return confirmed(link, group, (await finishGroupConfirmation(deps, group)) ?? []);
}

function confirmed(link: LinkRecord, group: Group, placed: string[]): GroupLinkResult {
  const say = bothLanguages;
  return {
    kind: 'group-done',
    link,
    message: placed.length
      ? say(
          `Gruppen är bekräftad med ${placed.length} barn: ${group.name}. Familjehemmen får schemat.`,
          `The group is confirmed with ${placed.length} ${placed.length === 1 ? 'child' : 'children'}: ${group.name}. The family homes get the schedule.`,
        )
      : // Every chosen child was taken into another group a moment earlier: no empty group is started.
        say(
          'Ingen grupp bildades: de valda barnen har redan fått plats i en annan grupp.',
          'No group was formed: the chosen children have already got a place in another group.',
        ),
  };
}

async function confirmGroup(
  deps: Dependencies,
  link: LinkRecord,
  view: Extract<GroupLinkResult, { kind: 'proposal' }>,
  action: { format: 'weekly' | 'weekend'; slot?: string; startDate: string },
  body: Record<string, string>,
): Promise<GroupLinkResult> {
  const p = view.partnership;
  const chosen = view.members.filter((m) => body[`member-${m.referralId}`] === 'on');
  const errors: Record<string, string> = {};
  const today = stockholmDate(deps.clock.now());
  const say = fieldMessage;
  const most = p.groups.grouping.maxGroupSize;
  if (chosen.length === 0)
    errors.members = say('Välj minst ett barn till gruppen.', 'Choose at least one child for the group.');
  if (chosen.length > most)
    errors.members = say(
      `En grupp har högst ${most} barn. Välj färre.`,
      `A group has at most ${most} children. Choose fewer.`,
    );
  if (action.format === 'weekly' && chosen.some((m) => m.noWeekdays))
    errors.members = say(
      'Ett valt barn kan inte delta vardagar. Välj stödhelg eller ta bort barnet.',
      'A chosen child cannot take part on weekdays. Choose a support weekend or remove the child.',
    );
  if (action.startDate < today)
    errors.startDate = say(
      'Startdatumet kan inte ligga bakåt i tiden.',
      'The start date cannot be in the past.',
    );
  const slot =
    action.format === 'weekly'
      ? p.groups.weeklySlots.find((s) => `${s.weekday}-${s.start}` === action.slot)
      : undefined;
  if (action.format === 'weekly' && !slot)
    errors.slot = say(
      'Välj en veckotid för veckogruppen.',
      'Choose a time of the week for the weekly group.',
    );
  if (Object.keys(errors).length) return { ...view, status: 400, errors, values: body };

  const meetings =
    action.format === 'weekly'
      ? weeklySchedule(action.startDate, slot!, p.groups.schedule)
      : weekendSchedule(action.startDate, p.groups.schedule);
  if (scheduleSpanDays(meetings, deps.clock.now()) > MAX_GROUP_SPAN_DAYS) {
    const last = stockholmDateOf(meetings.at(-1)!.endsAt);
    errors.startDate = say(
      `Gruppen skulle sluta ${last}, men den måste vara klar inom ${MAX_GROUP_SPAN_DAYS} dagar. Välj ett tidigare startdatum.`,
      `The group would end on ${last}, but it must be done within ${MAX_GROUP_SPAN_DAYS} days. Choose an earlier start date.`,
    );
    return { ...view, status: 400, errors, values: body };
  }
  const at = deps.clock.now().toISOString();
  const groupId = `g-${view.ageBand}-${randomBytes(3).toString('hex')}`;
  const group: Group = {
    partnershipId: p.id,
    groupId,
    // A weekly group meets in its district: the name says where, so two bands starting the same day differ.
    name: `${action.format === 'weekly' ? `Veckogrupp ${[...new Set(chosen.map((m) => m.district))].join('/')}` : 'Stödhelg'} ${view.ageBand} år, start ${stockholmDateOf(meetings[0]!.startsAt)}`,
    format: action.format,
    ageBand: view.ageBand,
    status: 'forming',
    capacity: p.groups.grouping.maxGroupSize,
    memberCount: 0,
    slot,
    startDate: action.startDate,
    meetings,
    confirmedAt: at,
    confirmation: {
      members: chosen.map((m) => m.referralId),
      by: link.recipient.name,
      linkHash: link.linkHash,
    },
  };
  // The confirmation is stored before the link is used: whatever happens after, it can be finished.
  await deps.store.putGroup(group);
  const chosenIds = chosen.map((m) => m.referralId);
  const answer = { action: 'confirm', format: action.format, members: chosenIds } as const;
  // Her answer is recorded once the children are placed, beside the group's start.
  const answered = async (placed: string[]) => {
    await Promise.all([
      auditProposalAnswer(deps, link, view, answer, groupId),
      // The band's proposal is answered: its clock stops, with what the planner proposed before this group.
      placed.length ? proposalAnswered(deps, view.ageBand, view.proposals) : undefined,
    ]);
  };
  const placed = await finishGroupConfirmation(deps, group, answered);
  if (placed === undefined) return { kind: 'refused', link, reason: 'used' };
  return confirmed(link, group, placed);
}

/**
 * Carries out a stored confirmation; every step can be repeated, so one cut off half-way (the process
 * killed, a Lambda timing out) is finished by calling this again: when the local runtime starts, or when
 * the coordinator sends the form once more. The proposal link decides which of two confirmations sent at
 * the same moment counts: the one whose group id it was used with. Returns the children placed, or
 * undefined when the link went to another confirmation (this group is then cancelled).
 */
export async function finishGroupConfirmation(
  deps: Dependencies,
  group: Group,
  /** What the coordinator's answer records once the children are placed, beside starting the group. */
  onPlaced?: (placed: string[]) => Promise<void>,
): Promise<string[] | undefined> {
  const { confirmation } = group;
  if (!confirmation) throw new Error(`Group ${group.groupId} has no recorded confirmation`);
  const p = group.partnershipId;
  const at = group.confirmedAt ?? deps.clock.now().toISOString();
  const usedFor = `confirm:${group.groupId}`;
  if ((await deps.store.useLink(confirmation.linkHash, at, usedFor)) !== 'ok') {
    const link = await deps.store.getLink(confirmation.linkHash);
    if (link?.usedAction !== usedFor) {
      await deps.store.updateGroup(p, group.groupId, { status: 'cancelled' });
      return undefined;
    }
  }
  // The children side by side: each one's placement item decides whether this group has her (another
  // group confirmed at the same moment may), and the group's seat count is one conditional update each.
  const seated = await Promise.all(
    confirmation.members.map(async (referralId) => {
      const confirmed = () =>
        audit(
          deps,
          {
            referralId,
            at,
            actor: { role: 'coordinator', name: confirmation.by },
            action: 'group-confirmed',
            phase: 'group-assignment',
            detail: { groupId: group.groupId, format: group.format },
          },
          `group-confirmed-${group.groupId}`,
        );
      return (await placeChild(deps, group, referralId, at, confirmed)) ? referralId : undefined;
    }),
  );
  const placed = seated.filter((id): id is string => id !== undefined);
  if (!placed.length) {
    await Promise.all([
      deps.store.updateGroup(p, group.groupId, { status: 'cancelled' }),
      onPlaced?.(placed),
    ]);
    return placed;
  }
  const start = async () => {
    // Started first, then marked running: a group left 'forming' is one that may still need starting
    // (starting it twice is harmless: the execution is named after the group).
    await deps.workflow.startGroup(group.groupId);
    await deps.store.updateGroup(p, group.groupId, { status: 'running' });
  };
  await Promise.all([start(), onPlaced?.(placed)]);
  return placed;
}

async function recordAttendance(
  deps: Dependencies,
  link: LinkRecord,
  view: Extract<GroupLinkResult, { kind: 'attendance' }>,
  body: Record<string, string>,
  { previous, referrals }: Pick<AttendanceReads, 'previous' | 'referrals'>,
): Promise<GroupLinkResult> {
  const at = deps.clock.now().toISOString();
  // Recorded first, the link used after: a crash in between leaves the link open and the leader can
  // send the form again (it writes the same records); the other way round the answers would be lost.
  // Every child's record and its timeline event in one batch; then the notices, the children side by side.
  const isPresent = (referralId: string) => body[`present-${referralId}`] === 'present';
  await deps.store.recordAttendance(
    view.members.map((m) => {
      const present = isPresent(m.referralId);
      return {
        record: {
          groupId: view.group.groupId,
          meeting: view.meeting.index,
          referralId: m.referralId,
          present,
          at,
          recordedBy: link.recipient.name,
        },
        event: {
          referralId: m.referralId,
          at,
          // The leader through her link, or a coordinator from the staff inbox.
          actor: { role: link.recipient.role, name: link.recipient.name },
          action: 'attendance-recorded',
          phase: 'sessions',
          detail: { meeting: String(view.meeting.index), present: String(present) },
        },
        onceKey: `attendance-${view.group.groupId}-${view.meeting.index}`,
      };
    }),
  );
  const noticeTwoAbsences = async (m: (typeof view.members)[number]) => {
    const present = isPresent(m.referralId);
    const before = previous.find(
      (a) => a.referralId === m.referralId && a.meeting === view.meeting.index - 1,
    );
    if (!present && before && !before.present) {
      // Two absences in a row: the social worker should know (her referral as read for the page).
      const r = referrals.get(m.referralId) ?? (await loadReferral(deps, m.referralId));
      await notifyOnce(deps, m.referralId, `absent-${view.group.groupId}-${view.meeting.index}`, () =>
        deps.email.send(
          renderEmail(
            r.socialWorker.email,
            absenceNotice(r, r.socialWorker, view.meeting.index),
            deps.config.publicBaseUrl,
          ),
        ),
      );
    }
  };
  await Promise.all(view.members.map(noticeTwoAbsences));
  if ((await deps.store.useLink(link.linkHash, at, 'record')) !== 'ok')
    return { kind: 'refused', link, reason: 'used' }; // the same form sent twice at once: the other counts
  try {
    // No token: a reminder's link, answered between two waits of the meeting's clock; the next wait finds
    // the link used and goes on at once (requestAttendance), as it does after a token that just expired.
    if (link.taskToken) await deps.workflow.sendTaskSuccess(link.taskToken, { attendance: 'recorded' });
  } catch (error) {
    if (!(error instanceof StepNoLongerOpenError)) throw error;
  }
  return {
    kind: 'group-done',
    link,
    message: bothLanguages(
      `Närvaron för träff ${view.meeting.index} är registrerad.`,
      `The attendance for meeting ${view.meeting.index} is recorded.`,
    ),
  };
}
