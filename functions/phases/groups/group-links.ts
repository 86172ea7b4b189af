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
import { StepNoLongerOpenError, type Dependencies, type LinkRecord, type LinkUseResult } from '../../ports';
import { notifyOnce } from '../../kernel/audit';
import {
  attendanceView,
  auditGroupLink,
  proposalView,
  namedMembers,
  poolSnapshot,
  readAttendance,
  refusal,
  type AttendanceReads,
  type PoolEntryReads,
  type GroupLinkResult,
} from './groups';
import { loadReferral } from '../../kernel/referrals';
import { coordinatorChoice, type CoordinatorAnswer } from '../../domain/placement-outlook';
import { POOL_CLAIM_MINUTES, proposalPairs } from '../../domain/grouping';
import { proposalAnswered } from './pool-clock';
import { auditProposalAnswer, type ProposalAnswer } from './group-placement';

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
  pool?: PoolEntryReads,
  /** Answered from the staff inbox: the group's placement records it on each chosen child's timeline. */
  via?: 'staff-inbox',
  /**
   * False for the inbox's per-form link not stored yet: its use stores it used (one conditional write, in
   * the round trip of the answer's own writes, rather than a write to store it before).
   */
  stored = true,
): Promise<GroupLinkResult> {
  const refused = refusal(deps, link);
  if (refused) {
    const unfinished = await unfinishedConfirmation(deps, link);
    if (unfinished) return unfinished;
    await auditGroupLink(deps, link, `refused-${refused.kind === 'refused' ? refused.reason : ''}`);
    return refused;
  }
  const parsed = groupProposalAnswer().safeParse(body);
  const use: UseProposalLink = (at, action, group) =>
    stored
      ? deps.store.useLink(link.linkHash, at, action, undefined, group)
      : deps.store.putUsedLink(link, at, action, undefined, group);
  if (parsed.success && parsed.data.action === 'postpone') return postponeProposal(deps, link, use, pool);
  const view = await proposalView(deps, link, await poolSnapshot(deps, link.recipient.language, pool));
  if (!parsed.success) return { ...view, status: 400, errors: fieldErrors(parsed.error), values: body };
  const action = parsed.data as {
    action: 'confirm';
    format?: 'weekly' | 'weekend';
    slot?: string;
    startDate?: string;
  };
  return confirmGroup(
    deps,
    link,
    view,
    { ...action, format: action.format!, startDate: action.startDate! },
    body,
    use,
    via,
  );
}

/** The proposal link's single use: with the group it confirms, if it does (LinkRecord.confirmedGroup). */
type UseProposalLink = (at: string, action: string, group?: Group) => Promise<LinkUseResult>;

/**
 * She lets the proposal wait. Whatever the pool holds, the page's answer is the same, so the link is used
 * beside the read of the pool's children (and the band's clock): her events and the clock's stop follow in
 * the third round trip, made only once the link was hers to use.
 */
async function postponeProposal(
  deps: Dependencies,
  link: LinkRecord,
  use: UseProposalLink,
  pool: PoolEntryReads | undefined,
): Promise<GroupLinkResult> {
  const clock = deps.store.getProposalClock(deps.config.partnershipId, link.ageBand!);
  clock.catch(() => {}); // awaited below only when the link was hers to use
  const [used, viewed] = await Promise.allSettled([
    use(deps.clock.now().toISOString(), 'postpone'),
    poolSnapshot(deps, link.recipient.language, pool).then((snapshot) => proposalView(deps, link, snapshot)),
  ]);
  if (used.status === 'rejected') throw used.reason;
  if (used.value !== 'ok') return { kind: 'refused', link, reason: 'used' };
  if (viewed.status === 'rejected') {
    // Nothing of her answer is recorded yet: the link is given back, so that sending the form again works.
    await deps.store.reopenLink(link.linkHash);
    throw viewed.reason;
  }
  const view = viewed.value;
  const answer = proposalAnswer(link, view, { action: 'postpone' });
  await Promise.all([
    auditGroupLink(
      deps,
      link,
      'postpone',
      view.members.map((m) => m.referralId),
    ),
    auditProposalAnswer(deps, answer, link.recipient.name, deps.clock.now().toISOString(), link.linkHash),
    // She chose to wait: the proposal's clock stops until the planner proposes something new.
    proposalAnswered(deps, view.ageBand, answer.shown, clock),
  ]);
  return {
    kind: 'group-done',
    link,
    message: bothLanguages(
      'Förslaget väntar. Barnen står kvar i kön och du får ett nytt förslag när fler väntar.',
      'The proposal waits. The children stay in the queue and you get a new proposal when more are waiting.',
    ),
  };
}

/**
 * Her answer against the planner's proposal: accepted or overruled, what she changed, and the outlook's
 * figures the page showed her (recomputed from the same pool at the same moment, not taken from the
 * form); the children it concerns, and what the planner proposed (where the band's clock stops).
 */
function proposalAnswer(
  link: LinkRecord,
  view: Extract<GroupLinkResult, { kind: 'proposal' }>,
  answer: CoordinatorAnswer,
): ProposalAnswer {
  const { affected, detail } = coordinatorChoice(view.suggestion, view.outlook, answer);
  return {
    role: link.recipient.role,
    affected,
    detail: { ageBand: view.ageBand, ...detail },
    shown: proposalPairs(view.proposals),
  };
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
 * timed out after using the link, before the group's workflow started): it is started now (starting it
 * twice is harmless, the execution is named after the group) and the page says so.
 */
async function unfinishedConfirmation(
  deps: Dependencies,
  link: LinkRecord,
  /** Answering a send that lost the race to it a moment ago: a group already placed is the answer too. */
  orPlaced = false,
): Promise<GroupLinkResult | undefined> {
  const groupId = link.usedAction?.startsWith('confirm:') && link.usedAction.slice(8);
  if (!groupId) return undefined;
  let group = await deps.store.getGroup(deps.config.partnershipId, groupId);
  // The link was used but the group's own write beside it did not happen: stored now from the link's copy.
  if (!group && link.confirmedGroup?.groupId === groupId) {
    group = link.confirmedGroup;
    await deps.store.putGroup(group);
  }
  if (orPlaced && group?.status === 'running') return confirmed(link, group);
  if (group?.status !== 'forming' || !group.confirmation) return undefined;
  await deps.workflow.startGroup(group.groupId);
  return confirmed(link, group);
}

/**
 * The group is confirmed and its workflow places the chosen children (PlaceMembers): the page names how
 * many she chose and says what happens to one who got a place in another group a moment earlier.
 */
function confirmed(link: LinkRecord, group: Group): GroupLinkResult {
  const say = bothLanguages;
  const chosen = group.confirmation?.members.length ?? 0;
  return {
    kind: 'group-done',
    link,
    message: say(
      `Gruppen är bekräftad med ${chosen} barn: ${group.name}. Barnen får sina platser nu och familjehemmen får schemat efter hembesöket. Ett barn som just fått plats i en annan grupp stannar där.`,
      `The group is confirmed with ${chosen} ${chosen === 1 ? 'child' : 'children'}: ${group.name}. The children get their places now and the family homes get the schedule after the home visit. A child who has just got a place in another group stays there.`,
    ),
  };
}

async function confirmGroup(
  deps: Dependencies,
  link: LinkRecord,
  view: Extract<GroupLinkResult, { kind: 'proposal' }>,
  action: { format: 'weekly' | 'weekend'; slot?: string; startDate: string },
  body: Record<string, string>,
  use: UseProposalLink,
  via?: 'staff-inbox',
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
      answer: proposalAnswer(link, view, {
        action: 'confirm',
        format: action.format,
        members: chosen.map((m) => m.referralId),
      }),
      ...(via ? { via } : {}),
    },
  };
  // One round trip: the group stored, and beside it the link used with a copy of the group, so that the
  // single-use write itself records what she confirmed (stored again from it if the other write was cut off).
  // The chosen children are claimed beside them: the pool's pages leave them out while they are placed.
  const members = chosen.map((m) => m.referralId);
  const until = new Date(Date.parse(at) + POOL_CLAIM_MINUTES * 60_000).toISOString();
  const [used] = await Promise.all([
    use(at, `confirm:${groupId}`, group),
    deps.store.putGroup(group),
    deps.store.putPoolClaim(p.id, { groupId, members, until }),
  ]);
  // Another answer had the link first (a second confirmation sent at the same moment): this group is
  // cancelled and its claim taken back. That is mostly a double click, whose browser shows this answer, not
  // the first: the page says which group counts, as it does for the same form sent again a moment later.
  if (used !== 'ok' && !(await claimConfirmation(deps, group))) {
    const [first] = await Promise.all([
      deps.store.getLink(link.linkHash),
      deps.store.removePoolClaim(p.id, groupId),
    ]);
    // Its workflow may have placed the children already (a running group): that is the answer too.
    const counted = first && (await unfinishedConfirmation(deps, first, true));
    return counted || { kind: 'refused', link, reason: 'used' };
  }
  // The group's workflow places the children, records her answer and runs the group (PlaceMembers).
  await deps.workflow.startGroup(groupId);
  return confirmed(link, group);
}

/**
 * Uses the proposal link for a stored confirmation, or finds it used for this one by an earlier attempt:
 * the link decides which of two confirmations sent at the same moment counts, the one whose group id it
 * was used with. False when it went to another: this group is then cancelled. Safe to repeat, so one cut
 * off half-way (the process killed, a Lambda timing out) is finished by calling it again and starting the
 * group's workflow: when the local runtime starts, or when the coordinator sends the form once more.
 */
export async function claimConfirmation(deps: Dependencies, group: Group): Promise<boolean> {
  const { confirmation } = group;
  if (!confirmation) throw new Error(`Group ${group.groupId} has no recorded confirmation`);
  const at = group.confirmedAt ?? deps.clock.now().toISOString();
  const usedFor = `confirm:${group.groupId}`;
  if ((await deps.store.useLink(confirmation.linkHash, at, usedFor)) === 'ok') return true;
  if ((await deps.store.getLink(confirmation.linkHash))?.usedAction === usedFor) return true;
  await deps.store.updateGroup(group.partnershipId, group.groupId, { status: 'cancelled' });
  return false;
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
