/**
 * Groups: the pool of consented children, the coordinator forming a group from a proposal, the group
 * workflow's tasks (schedule, reminders, attendance, completion) and drop-outs.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { describeLegalBasis } from '../domain/consent';
import { proposeGroups, type PoolEntry, type Proposal } from '../domain/grouping';
import type { Group, Partnership } from '../domain/partnership';
import type { Referral } from '../domain/referral';
import { weekendSchedule, weeklySchedule, ZONE, type Meeting } from '../domain/schedule';
import { actionSchema, WORKFLOW_ERRORS } from '../domain/steps';
import { fieldErrors } from '../domain/referral-form';
import { linkUrl, newLinkToken } from '../adapters/link-tokens';
import { renderEmail } from '../web/emails/render';
import {
  absenceNotice,
  attendanceRequest,
  groupSchedule,
  meetingReminder,
  poolUpdate,
} from '../web/emails/group-templates';
import { StepNoLongerOpenError, type Dependencies, type LinkRecord } from '../ports';
import { TransientError } from '../shared/errors';
import { audit, notifyOnce } from './audit';
import { enterHumanStep, loadReferral, partnershipOf, type Recipient } from './workflow-tasks';

const DAY = 86_400_000;

async function partnership(deps: Dependencies): Promise<Partnership> {
  return partnershipOf(deps, { partnershipId: deps.config.partnershipId });
}

async function loadGroup(deps: Dependencies, groupId: string): Promise<Group> {
  const group = await deps.store.getGroup(deps.config.partnershipId, groupId);
  if (!group) throw new Error(`Group ${groupId} not found`);
  return group;
}

function coordinator(p: Partnership): Recipient {
  return { role: 'coordinator', ...p.coordinator, language: 'sv' };
}

function leaderOf(p: Partnership, g: Group): Recipient {
  return { role: 'group-leader', ...(g.leader ?? p.coordinator), language: 'sv' };
}

async function groupLink(
  deps: Dependencies,
  fields: Omit<LinkRecord, 'linkHash' | 'createdAt' | 'expiresAt' | 'status'>,
  ttlDays: number,
): Promise<{ link: LinkRecord; url: string }> {
  const now = deps.clock.now();
  const { token, hash } = newLinkToken();
  const link: LinkRecord = {
    ...fields,
    linkHash: hash,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlDays * DAY).toISOString(),
    status: 'open',
  };
  await deps.store.putLink(link);
  return { link, url: linkUrl(deps.config.publicBaseUrl, token) };
}

// ---- The pool ---------------------------------------------------------------------------------------------

/**
 * GroupAssignment: the child waits in the pool of its age band. The coordinator hears of it once, with
 * a link to the band's pool; and again whenever the planner can now propose a group with this child.
 * The wait re-runs weekly (the state machine's timeout), so waiting limits are noticed.
 */
export async function awaitGroup(
  input: { referralId: string; taskToken: string },
  deps: Dependencies,
): Promise<void> {
  await enterHumanStep('group-assignment', input, deps, { notify: false });
  const referral = await loadReferral(deps, input.referralId);
  const p = await partnership(deps);
  await deps.store.putPoolEntry(p.id, {
    referralId: referral.referralId,
    ageBand: referral.child.ageBand,
    district: referral.district,
    waitingSince: deps.clock.now().toISOString(),
    needs: referral.needs,
  });
  const pool = await deps.store.listPool(p.id, referral.child.ageBand);
  const mine = pool.find((e) => e.referralId === referral.referralId);
  if (
    mine &&
    deps.clock.now().getTime() - Date.parse(mine.waitingSince) >= p.groups.grouping.maxPoolDays * DAY
  ) {
    // Nothing lost: the referral ends with its own outcome rather than waiting for ever.
    await audit(deps, {
      referralId: referral.referralId,
      actor: { role: 'system' },
      action: 'no-group-in-time',
      phase: 'group-assignment',
    });
    throw Object.assign(new Error('No group within the longest wait'), { name: WORKFLOW_ERRORS.noGroup });
  }
  const proposal = proposeGroups(pool, p.groups.grouping, deps.clock.now()).proposals.find((g) =>
    g.members.includes(referral.referralId),
  );
  const key = proposal ? `pool-proposal-${proposal.format}-${proposal.members.length}` : 'pool-entered';
  await notifyOnce(deps, referral.referralId, key, async () => {
    const { url, link } = await groupLink(
      deps,
      {
        referralId: referral.referralId,
        step: 'group-proposal',
        ageBand: referral.child.ageBand,
        recipient: coordinator(p),
        taskToken: '',
      },
      deps.config.linkTtlDays,
    );
    await deps.email.send(
      renderEmail(
        p.coordinator.email,
        poolUpdate(referral, p.coordinator, url, link.expiresAt, proposal, pool.length),
      ),
    );
  });
  await audit(deps, {
    referralId: referral.referralId,
    actor: { role: 'system' },
    action: 'waiting-for-group',
    phase: 'group-assignment',
    detail: { ageBand: referral.child.ageBand, proposal: proposal ? proposal.format : 'none' },
  });
}

export interface PoolMember {
  referralId: string;
  label: string;
  age: number;
  district: string;
  waitingDays: number;
  noWeekdays: boolean;
  /** Which legal basis applies, and who recorded it. */
  legalBasis?: string;
}

async function poolMembers(deps: Dependencies, entries: PoolEntry[]): Promise<PoolMember[]> {
  const now = deps.clock.now().getTime();
  const out: PoolMember[] = [];
  for (const e of entries) {
    const r = await deps.store.getReferral(e.referralId);
    if (!r || r.status === 'closed') continue;
    out.push({
      referralId: e.referralId,
      // Reference code, first name, age and district: never the identity number; no name when protected.
      label: r.child.protectedIdentity ? 'Skyddade personuppgifter' : r.child.firstName,
      age: r.child.ageAtReferral,
      district: r.district,
      waitingDays: Math.floor((now - Date.parse(e.waitingSince)) / DAY),
      noWeekdays: !!e.needs?.noWeekdays,
      legalBasis: r.legalBasis ? describeLegalBasis(r.legalBasis) : undefined,
    });
  }
  return out.sort((a, b) => b.waitingDays - a.waitingDays);
}

// ---- Group links: the proposal page and the attendance page ---------------------------------------------

export type GroupLinkResult =
  | {
      kind: 'proposal';
      status: number;
      link: LinkRecord;
      ageBand: string;
      members: PoolMember[];
      suggestion?: Proposal;
      partnership: Partnership;
      errors?: Record<string, string>;
      values?: Record<string, string>;
    }
  | {
      kind: 'attendance';
      status: number;
      link: LinkRecord;
      group: Group;
      meeting: Meeting;
      members: PoolMember[];
      errors?: Record<string, string>;
    }
  | { kind: 'group-done'; link: LinkRecord; message: string }
  | { kind: 'refused'; link: LinkRecord; reason: 'used' | 'expired' | 'closed' | 'superseded' };

export function isGroupLink(link: LinkRecord): boolean {
  return link.step === 'group-proposal' || link.step === 'attendance';
}

function refusal(deps: Dependencies, link: LinkRecord): GroupLinkResult | undefined {
  if (link.status === 'used') return { kind: 'refused', link, reason: 'used' };
  if (link.status === 'superseded') return { kind: 'refused', link, reason: 'superseded' };
  if (link.status === 'closed') return { kind: 'refused', link, reason: 'closed' };
  if (link.expiresAt <= deps.clock.now().toISOString()) return { kind: 'refused', link, reason: 'expired' };
  return undefined;
}

async function proposalView(
  deps: Dependencies,
  link: LinkRecord,
): Promise<Extract<GroupLinkResult, { kind: 'proposal' }>> {
  const p = await partnership(deps);
  const entries = await deps.store.listPool(p.id, link.ageBand);
  const members = await poolMembers(deps, entries);
  const suggestion = proposeGroups(
    entries.filter((e) => members.some((m) => m.referralId === e.referralId)),
    p.groups.grouping,
    deps.clock.now(),
  ).proposals[0];
  return { kind: 'proposal', status: 200, link, ageBand: link.ageBand!, members, suggestion, partnership: p };
}

async function attendanceView(deps: Dependencies, link: LinkRecord): Promise<GroupLinkResult> {
  const group = await loadGroup(deps, link.referralId);
  const meeting = group.meetings?.find((m) => m.index === link.meeting);
  if (!meeting) return { kind: 'refused', link, reason: 'closed' };
  const ids = await deps.store.listGroupMembers(group.groupId);
  const members = await poolMembers(
    deps,
    ids.map((referralId) => ({
      referralId,
      ageBand: group.ageBand,
      district: '',
      waitingSince: new Date(0).toISOString(),
    })),
  );
  return { kind: 'attendance', status: 200, link, group, meeting, members };
}

export async function viewGroupLink(link: LinkRecord, deps: Dependencies): Promise<GroupLinkResult> {
  const refused = refusal(deps, link);
  if (refused) return refused;
  return link.step === 'group-proposal' ? proposalView(deps, link) : attendanceView(deps, link);
}

async function auditGroupLink(
  deps: Dependencies,
  link: LinkRecord,
  outcome: string,
  referralIds: string[] = [link.referralId],
): Promise<void> {
  for (const referralId of referralIds)
    await audit(deps, {
      referralId,
      actor: { role: link.recipient.role, name: link.recipient.name },
      action: 'link-redeemed',
      detail: { step: link.step, outcome },
    });
}

export async function redeemGroupLink(
  link: LinkRecord,
  body: Record<string, string>,
  deps: Dependencies,
): Promise<GroupLinkResult> {
  const refused = refusal(deps, link);
  if (refused) {
    await auditGroupLink(deps, link, `refused-${refused.kind === 'refused' ? refused.reason : ''}`);
    return refused;
  }
  const parsed = actionSchema(link.step, link.recipient.role).safeParse(body);
  if (link.step === 'group-proposal') {
    const view = await proposalView(deps, link);
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
      return {
        kind: 'group-done',
        link,
        message: 'Förslaget väntar. Barnen står kvar i kön och du får ett nytt förslag när fler väntar.',
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
  const view = await attendanceView(deps, link);
  if (view.kind !== 'attendance') return view;
  const errors: Record<string, string> = {};
  for (const m of view.members)
    if (!['present', 'absent'].includes(body[`present-${m.referralId}`] ?? ''))
      errors[`present-${m.referralId}`] = `Välj närvarande eller frånvarande för ${m.referralId}.`;
  if (!parsed.success || Object.keys(errors).length)
    return {
      ...view,
      status: 400,
      errors: { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...errors },
    };
  return recordAttendance(deps, link, view, body);
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
  const today = DateTime.fromJSDate(deps.clock.now()).setZone(ZONE).toISODate()!;
  if (chosen.length === 0) errors.members = 'Välj minst ett barn till gruppen.';
  if (chosen.length > p.groups.grouping.maxGroupSize)
    errors.members = `En grupp har högst ${p.groups.grouping.maxGroupSize} barn. Välj färre.`;
  if (action.format === 'weekly' && chosen.some((m) => m.noWeekdays))
    errors.members = 'Ett valt barn kan inte delta vardagar. Välj stödhelg eller ta bort barnet.';
  if (action.startDate < today) errors.startDate = 'Startdatumet kan inte ligga bakåt i tiden.';
  const slot =
    action.format === 'weekly'
      ? p.groups.weeklySlots.find((s) => `${s.weekday}-${s.start}` === action.slot)
      : undefined;
  if (action.format === 'weekly' && !slot) errors.slot = 'Välj en veckotid för veckogruppen.';
  if (Object.keys(errors).length) return { ...view, status: 400, errors, values: body };

  const at = deps.clock.now().toISOString();
  if ((await deps.store.useLink(link.linkHash, at, 'confirm')) !== 'ok')
    return { kind: 'refused', link, reason: 'used' };
  const groupId = `g-${view.ageBand}-${randomBytes(3).toString('hex')}`;
  const meetings =
    action.format === 'weekly'
      ? weeklySchedule(action.startDate, slot!, p.groups.schedule)
      : weekendSchedule(action.startDate, p.groups.schedule);
  const group: Group = {
    partnershipId: p.id,
    groupId,
    name: `${action.format === 'weekly' ? 'Veckogrupp' : 'Stödhelg'} ${view.ageBand} år, start ${DateTime.fromISO(meetings[0]!.startsAt).setZone(ZONE).toISODate()}`,
    format: action.format,
    ageBand: view.ageBand,
    status: 'forming',
    capacity: p.groups.grouping.maxGroupSize,
    memberCount: 0,
    slot,
    startDate: action.startDate,
    meetings,
    confirmedAt: at,
  };
  await deps.store.putGroup(group);
  const placed: string[] = [];
  for (const m of chosen) {
    if ((await deps.store.joinGroup(p.id, groupId, m.referralId, at)) !== 'joined') continue;
    await deps.store.updateReferral(m.referralId, { group: { groupId, name: group.name }, updatedAt: at });
    await deps.store.removePoolEntry(p.id, view.ageBand, m.referralId);
    await resumeWaiting(deps, m.referralId, 'group-assignment', { groupId });
    await audit(deps, {
      referralId: m.referralId,
      at,
      actor: { role: 'coordinator', name: link.recipient.name },
      action: 'group-confirmed',
      phase: 'group-assignment',
      detail: { groupId, format: action.format },
    });
    placed.push(m.referralId);
  }
  await deps.store.updateGroup(p.id, groupId, { status: 'running' });
  await deps.workflow.startGroup(groupId);
  return {
    kind: 'group-done',
    link,
    message: `Gruppen är bekräftad med ${placed.length} barn: ${group.name}. Familjehemmen får schemat.`,
  };
}

/** Resumes a referral's silent wait (group assignment, sessions) through the token its step link holds. */
async function resumeWaiting(
  deps: Dependencies,
  referralId: string,
  step: 'group-assignment' | 'sessions',
  output: Record<string, string>,
): Promise<void> {
  const record = await deps.store.getStep(referralId, step);
  const link = record && (await deps.store.getLink(record.linkHash));
  if (!link || link.status !== 'open' || !link.taskToken)
    throw new TransientError(`${referralId} is not waiting in ${step} yet`);
  await deps.workflow.sendTaskSuccess(link.taskToken, output);
  await deps.store.useLink(link.linkHash, deps.clock.now().toISOString(), 'resumed');
}

async function recordAttendance(
  deps: Dependencies,
  link: LinkRecord,
  view: Extract<GroupLinkResult, { kind: 'attendance' }>,
  body: Record<string, string>,
): Promise<GroupLinkResult> {
  const at = deps.clock.now().toISOString();
  if ((await deps.store.useLink(link.linkHash, at, 'record')) !== 'ok')
    return { kind: 'refused', link, reason: 'used' };
  const previous = await deps.store.listAttendance(view.group.groupId);
  for (const m of view.members) {
    const present = body[`present-${m.referralId}`] === 'present';
    await deps.store.recordAttendance({
      groupId: view.group.groupId,
      meeting: view.meeting.index,
      referralId: m.referralId,
      present,
      at,
      recordedBy: link.recipient.name,
    });
    await audit(deps, {
      referralId: m.referralId,
      at,
      actor: { role: 'group-leader', name: link.recipient.name },
      action: 'attendance-recorded',
      phase: 'sessions',
      detail: { meeting: String(view.meeting.index), present: String(present) },
    });
    const before = previous.find(
      (a) => a.referralId === m.referralId && a.meeting === view.meeting.index - 1,
    );
    if (!present && before && !before.present) {
      // Two absences in a row: the social worker should know.
      const r = await loadReferral(deps, m.referralId);
      await notifyOnce(deps, m.referralId, `absent-${view.group.groupId}-${view.meeting.index}`, () =>
        deps.email.send(
          renderEmail(r.socialWorker.email, absenceNotice(r, r.socialWorker, view.meeting.index)),
        ),
      );
    }
  }
  try {
    await deps.workflow.sendTaskSuccess(link.taskToken, { attendance: 'recorded' });
  } catch (error) {
    if (!(error instanceof StepNoLongerOpenError)) throw error;
  }
  return { kind: 'group-done', link, message: `Närvaron för träff ${view.meeting.index} är registrerad.` };
}

// ---- The group workflow's tasks ----------------------------------------------------------------------------

export async function scheduleGroup(
  { groupId }: { groupId: string },
  deps: Dependencies,
): Promise<{ meetings: { index: number; remindAt: string; endsAt: string }[] }> {
  const group = await loadGroup(deps, groupId);
  if (!group.meetings?.length) throw new Error(`Group ${groupId} has no schedule`);
  // Reminders go two days before each meeting; attendance is asked for when it has ended.
  return {
    meetings: group.meetings.map((m) => ({
      index: m.index,
      remindAt: new Date(Date.parse(m.startsAt) - 2 * DAY).toISOString(),
      endsAt: m.endsAt,
    })),
  };
}

async function activeMembers(deps: Dependencies, groupId: string): Promise<Referral[]> {
  const out: Referral[] = [];
  for (const id of await deps.store.listGroupMembers(groupId)) {
    const r = await deps.store.getReferral(id);
    if (r && r.status !== 'closed' && !r.withdrawal) out.push(r);
  }
  return out;
}

/** The schedule with a calendar file to the family home, and to custodians only where allowed. */
export async function sendScheduleTo(deps: Dependencies, group: Group, r: Referral): Promise<void> {
  const p = await partnership(deps);
  await notifyOnce(deps, r.referralId, `schedule-${group.groupId}`, async () => {
    await deps.email.send(
      renderEmail(r.carer.email, groupSchedule(r, r.carer, group, p.groups.premises, 'carer')),
    );
    // Where a protected child will be at a planned time is exactly what protection hides.
    if (r.custodianMaySeeSchedule && !r.child.protectedIdentity)
      for (const c of r.custodians)
        if (c.email)
          await deps.email.send(
            renderEmail(c.email, groupSchedule(r, c, group, p.groups.premises, 'custodian')),
          );
  });
}

export async function sendSchedule({ groupId }: { groupId: string }, deps: Dependencies): Promise<void> {
  const group = await loadGroup(deps, groupId);
  for (const r of await activeMembers(deps, groupId)) await sendScheduleTo(deps, group, r);
}

export async function remindCarers(
  { groupId, meeting }: { groupId: string; meeting: number },
  deps: Dependencies,
): Promise<void> {
  const group = await loadGroup(deps, groupId);
  const m = group.meetings?.find((x) => x.index === meeting);
  if (!m) throw new Error(`Group ${groupId} has no meeting ${meeting}`);
  const p = await partnership(deps);
  for (const r of await activeMembers(deps, groupId))
    await notifyOnce(deps, r.referralId, `reminder-${groupId}-${meeting}`, () =>
      deps.email.send(renderEmail(r.carer.email, meetingReminder(r, r.carer, m, p.groups.premises))),
    );
}

export async function requestAttendance(
  { groupId, meeting, taskToken }: { groupId: string; meeting: number; taskToken: string },
  deps: Dependencies,
): Promise<void> {
  const group = await loadGroup(deps, groupId);
  const existing = await deps.store.getStep(groupId, 'attendance', meeting);
  if (existing?.emailSentAt && (await deps.store.bindLinkToken(existing.linkHash, taskToken))) return;
  // Recorded already (the group's execution was resumed after a crash): the wait is over at once.
  if (existing && (await deps.store.getLink(existing.linkHash))?.status === 'used') {
    await deps.workflow.sendTaskSuccess(taskToken, { attendance: 'recorded' });
    return;
  }
  const p = await partnership(deps);
  const leader = leaderOf(p, group);
  const { link, url } = await groupLink(
    deps,
    { referralId: groupId, step: 'attendance', meeting, recipient: leader, taskToken },
    deps.config.linkTtlDays,
  );
  await deps.store.putStep({
    referralId: groupId,
    step: 'attendance',
    custodian: meeting,
    linkHash: link.linkHash,
    enteredAt: link.createdAt,
  });
  await deps.email.send(
    renderEmail(leader.email, attendanceRequest(group, leader, meeting, url, link.expiresAt)),
  );
  await deps.store.markStepEmailSent(groupId, 'attendance', meeting, deps.clock.now().toISOString());
}

/** After the last meeting every member's referral resumes into follow-up. */
export async function completeGroup({ groupId }: { groupId: string }, deps: Dependencies): Promise<void> {
  await deps.store.updateGroup(deps.config.partnershipId, groupId, { status: 'completed' });
  for (const r of await activeMembers(deps, groupId)) {
    if (r.phase !== 'sessions') continue;
    await resumeWaiting(deps, r.referralId, 'sessions', { sessions: 'completed' });
  }
}

/** A child who leaves before the second meeting: the seat goes to the next child waiting in that band. */
export async function offerFreedSeat(deps: Dependencies, groupId: string): Promise<string | undefined> {
  const p = await partnership(deps);
  const group = await deps.store.getGroup(p.id, groupId);
  const second = group?.meetings?.[1];
  if (!group || group.status !== 'running' || !second || deps.clock.now().toISOString() >= second.startsAt)
    return undefined;
  const pool = (await deps.store.listPool(p.id, group.ageBand)).sort((a, b) =>
    a.waitingSince.localeCompare(b.waitingSince),
  );
  const next = pool.find((e) => !(group.format === 'weekly' && e.needs?.noWeekdays));
  if (!next) return undefined;
  if (
    (await deps.store.joinGroup(p.id, groupId, next.referralId, deps.clock.now().toISOString())) !== 'joined'
  )
    return undefined;
  await deps.store.updateReferral(next.referralId, {
    group: { groupId, name: group.name },
    updatedAt: deps.clock.now().toISOString(),
  });
  await deps.store.removePoolEntry(p.id, group.ageBand, next.referralId);
  await resumeWaiting(deps, next.referralId, 'group-assignment', { groupId });
  await audit(deps, {
    referralId: next.referralId,
    actor: { role: 'system' },
    action: 'freed-seat-offered',
    phase: 'group-assignment',
    detail: { groupId },
  });
  await sendScheduleTo(deps, { ...group }, (await deps.store.getReferral(next.referralId))!);
  return next.referralId;
}

export async function recordGroupFailure(
  { groupId, error }: { groupId: string; error: string },
  deps: Dependencies,
): Promise<void> {
  deps.log.error('group workflow needs attention', { groupId, error });
  await audit(deps, {
    referralId: groupId,
    actor: { role: 'system' },
    action: 'group-step-failed',
    detail: { error },
  });
}
