/**
 * Groups: the pool of consented children, the group links' pages (a proposal to the coordinator,
 * attendance to the group leader; redeeming them is in group-links.ts), the group workflow's tasks
 * (schedule, reminders, attendance, completion) and drop-outs.
 */
import { describeLegalBasis } from '../../domain/consent';
import {
  bandForecast,
  bandForecasts,
  claimedAt,
  forecastFromHistory,
  proposeGroups,
  unclaimed,
  type PoolEntry,
  type Proposal,
} from '../../domain/grouping';
import { placementOutlook, type BandOutlook } from '../../domain/placement-outlook';
import type { Group, Partnership } from '../../domain/partnership';
import { scheduleCustodians, seatConfirmed, type Language, type Referral } from '../../domain/referral';
import { MAX_GROUP_SPAN_DAYS, scheduleSpanDays, type Meeting } from '../../domain/schedule';
import { WORKFLOW_ERRORS } from '../../domain/steps';
import { stockholmDate } from '../../domain/stockholm-dates';
import { renderEmail } from '../../web/emails/render';
import { attendanceRequest, groupPlaced, groupSchedule, meetingReminder, poolUpdate } from './emails';
import type { SocialWorkerNotificationId } from '../../web/emails/promises';
import { type AttendanceRecord, type Dependencies, type LinkRecord } from '../../ports';
import { audit, notificationMarker, notifyOnce } from '../../kernel/audit';
import { mailStepLinkOnce } from '../../kernel/step-outbox';
import { enterHumanStep, enterStepReading } from '../../kernel/enter-step';
import { newLink } from '../../kernel/step-links';
import { resumeWaiting } from './seats';
import { leaderOf, poolStep, sessionsStep } from './group-steps';
import { joinPool, noGroupInTime, readPoolView, waitEnded, type PoolView } from './pool-clock';
import { coordinatorOf, loadOpenReferralNotified, partnershipOf, socialWorker } from '../../kernel/referrals';
import { withNotificationId } from '../../shared/notification-context';

const DAY = 86_400_000;

async function partnership(deps: Dependencies): Promise<Partnership> {
  return partnershipOf(deps, { partnershipId: deps.config.partnershipId });
}

export async function loadGroup(deps: Dependencies, groupId: string): Promise<Group> {
  const group = await deps.store.getGroup(deps.config.partnershipId, groupId);
  if (!group) throw new Error(`Group ${groupId} not found`);
  return group;
}

const coordinator = coordinatorOf;

// ---- The pool ---------------------------------------------------------------------------------------------

/**
 * GroupAssignment: the child waits in the pool of its age band. The coordinator hears of it once, with
 * a link to the band's pool; and again whenever the planner can now propose a group with this child.
 * The wait re-runs on the band's proposal clock (pool-clock.ts): at least weekly, so waiting limits are
 * noticed, and on the days the coordinator is reminded of an open proposal.
 */
export async function awaitGroup(
  input: {
    referralId: string;
    taskToken: string;
    /** The pool as the band's clock read it in the state before this wait (none from older executions). */
    pool?: PoolView;
  },
  deps: Dependencies,
): Promise<void> {
  // Placed already (confirmed while this wait re-ran, or before a crash): the step went on at once.
  const entered = await enterStepReading(poolStep, input, deps, { notify: false });
  if (entered.outcome === 'answered') return;
  // As read after the wait's token was stored: nothing since needs reading again.
  const referral = entered.referral;
  const p = await partnership(deps);
  // The clock joined the child to the pool a moment ago and planned it: its view stands, but for a
  // confirmation sent since (its claim is written before anything is placed), read from the few claim
  // items rather than the whole pool. A placement since would have written the referral before this wait's
  // entry read it (answered above). Without a view, or with the child not counted in it, the wait joins
  // and reads as it always did: joinPool reads the referral after writing the entry, so a placement
  // meanwhile resumes the step by itself.
  const clockSaw = input.pool && (input.pool.waitingSince !== null || input.pool.claimed);
  let view: PoolView;
  if (clockSaw) {
    const claims = await deps.store.listPoolClaims(p.id);
    if (claimedAt(claims, deps.clock.now()).has(referral.referralId)) return;
    view = input.pool!;
  } else if ((await joinPool(deps, referral, p)).group) return;
  else view = await readPoolView(deps, p, referral);
  // Children a confirmation has claimed are being placed (PoolClaim): none is proposed again, and a claimed
  // child's own wait sends no email (her group's placement resumes it in a moment).
  if (view.claimed) return;
  const { inBand } = view;
  if (
    view.waitingSince !== null &&
    deps.clock.now().getTime() - Date.parse(view.waitingSince) >= p.groups.grouping.maxPoolDays * DAY
  ) {
    // Nothing lost: the referral ends with its own outcome rather than waiting for ever (the pool's clock
    // ends the wait at this deadline; this is for a wait entered after it, a resumed execution).
    await noGroupInTime(deps, referral, p);
    throw Object.assign(new Error('No group within the longest wait'), { name: WORKFLOW_ERRORS.noGroup });
  }
  // Every band's proposals: a neighbouring band's group may take this child at the edge of its band.
  const proposal = view.proposal ?? undefined;
  const key = proposal ? `pool-proposal-${proposal.format}-${proposal.members.length}` : 'pool-entered';
  await notifyOnce(deps, referral.referralId, key, async () => {
    const { url, link } = await newLink(
      deps,
      {
        referralId: referral.referralId,
        step: 'group-proposal',
        // The proposing band's page: a neighbouring band's group may take this child at its band's edge.
        ageBand: proposal?.ageBand ?? referral.child.ageBand,
        recipient: coordinator(p),
        taskToken: '',
      },
      deps.config.linkTtlDays,
    );
    await deps.email.send(
      renderEmail(
        p.coordinator.email,
        poolUpdate(referral, coordinator(p), url, link.expiresAt, proposal, inBand),
        deps.config.publicBaseUrl,
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

/**
 * `waitingOnly`: leave out children placed in a group already (the pool's view, not a group's).
 * `lang`: the reader's (a coordinator acting from the staff inbox in English).
 */
async function poolMembers(
  deps: Dependencies,
  entries: PoolEntry[],
  lang: Language,
  waitingOnly = false,
  /** The entries' referrals where the caller has read them already (in the same order). */
  loaded?: (Referral | undefined)[],
): Promise<PoolMember[]> {
  const now = deps.clock.now().getTime();
  const out: PoolMember[] = [];
  // One BatchGetItem per hundred children, not one read each: a band's pool can hold a hundred.
  const referrals = loaded ?? (await deps.store.getReferrals(entries.map((e) => e.referralId)));
  for (const [i, e] of entries.entries()) {
    const r = referrals[i];
    if (!r || r.status === 'closed' || (waitingOnly && waitEnded(r))) continue;
    out.push({
      referralId: e.referralId,
      // Reference code, first name, age and district: never the identity number; no name when protected.
      label: r.child.protectedIdentity
        ? lang === 'en'
          ? 'Protected identity'
          : 'Skyddade personuppgifter'
        : r.child.firstName,
      age: r.child.ageAtReferral,
      district: r.district,
      waitingDays: Math.floor((now - Date.parse(e.waitingSince)) / DAY),
      noWeekdays: !!e.needs?.noWeekdays,
      legalBasis: r.legalBasis ? describeLegalBasis(r.legalBasis, lang) : undefined,
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
      /** Everything the planner proposes for the band (the suggestion is the first). */
      proposals: Proposal[];
      /** Why: who waits, the proposed groups, and what one more week would change (none: nobody waits). */
      outlook?: BandOutlook;
      /** Where the forecast comes from: the partnership's own consents, or its configured rate. */
      forecastFrom: 'history' | 'settings';
      partnership: Partnership;
      /** The system's date in Stockholm: the page suggests a start from it (fast-forwarded locally). */
      today: string;
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
  | { kind: 'group-done'; link: LinkRecord; message: Record<Language, string> }
  | { kind: 'refused'; link: LinkRecord; reason: 'used' | 'expired' | 'closed' | 'superseded' };

export function refusal(deps: Dependencies, link: LinkRecord): GroupLinkResult | undefined {
  if (link.status === 'used') return { kind: 'refused', link, reason: 'used' };
  if (link.status === 'superseded') return { kind: 'refused', link, reason: 'superseded' };
  if (link.status === 'closed') return { kind: 'refused', link, reason: 'closed' };
  if (link.expiresAt <= deps.clock.now().toISOString()) return { kind: 'refused', link, reason: 'expired' };
  return undefined;
}

/** What every band's proposal page is computed from: the whole pool, its children and the consent history. */
export interface PoolSnapshot {
  entries: PoolEntry[];
  everyone: PoolMember[];
  history: Awaited<ReturnType<Dependencies['store']['consentHistory']>>;
}

/**
 * Every band's pool, as the planner plans (the band's group may take a neighbour's child at the edge), with
 * the partnership's own consents (as the pool clock plans with): read side by side, then the children's
 * referrals at once. One snapshot serves every band's page (the staff inbox shows them all).
 */
export async function poolSnapshot(
  deps: Dependencies,
  lang: Language,
  /** The pool as read already, beside the caller's other reads (the children's referrals too, if it has them). */
  reads?: PoolEntryReads,
): Promise<PoolSnapshot> {
  const { entries, history, referrals } = reads ? await withReferrals(deps, reads) : await readPool(deps);
  const everyone = await poolMembers(deps, entries, lang, true, referrals);
  await removeEndedWaits(deps, entries, referrals);
  return { entries, everyone, history };
}

/**
 * An entry whose wait has ended (its referral closed, withdrawn, placed, or gone) is taken out of the pool
 * where a page has read every child's referral anyway. Every change that ends a wait removes the entry
 * itself (pool-clock.ts), so this finds nothing in the normal course; it clears what an earlier version
 * could leave behind (a join racing a closing), which the band's clock, planning from the entries alone,
 * would otherwise count. Idempotent: the change's own removal may run beside it.
 */
async function removeEndedWaits(
  deps: Dependencies,
  entries: PoolEntry[],
  referrals: (Referral | undefined)[],
): Promise<void> {
  const ended = entries.filter((_, i) => {
    const r = referrals[i];
    return !r || waitEnded(r);
  });
  if (!ended.length) return;
  await Promise.all(
    ended.map((e) => deps.store.removePoolEntry(deps.config.partnershipId, e.ageBand, e.referralId)),
  );
  deps.log.warn('pool entries of ended waits removed', {
    count: ended.length,
    referralIds: ended.map((e) => e.referralId).join(' '),
  });
}

/** The pool as stored: every band's entries, the consent history, and the entries' referrals (in order). */
export interface PoolReads {
  entries: PoolEntry[];
  history: PoolSnapshot['history'];
  referrals: (Referral | undefined)[];
}

/**
 * Reads the pool: entries and history side by side, then the children's referrals at once. Children a
 * confirmation has claimed while its group's workflow places them are left out (PoolClaim).
 */
export async function readPool(deps: Dependencies): Promise<PoolReads> {
  return withReferrals(deps, await readPoolEntries(deps));
}

/** The entries' referrals, read now (in their order) unless read already. */
export async function withReferrals(deps: Dependencies, reads: PoolEntryReads): Promise<PoolReads> {
  const { entries, history } = reads;
  return {
    entries,
    history,
    referrals: reads.referrals ?? (await deps.store.getReferrals(entries.map((e) => e.referralId))),
  };
}

/** The pool's entries (claimed children left out) and its consent history, side by side: one round trip. */
export async function readPoolEntries(deps: Dependencies): Promise<PoolEntryReads> {
  const p = await partnership(deps);
  const [pool, history] = await Promise.all([
    deps.store.listPoolWithClaims(p.id),
    deps.store.consentHistory(p.id),
  ]);
  return { entries: unclaimed(pool.entries, pool.claims, deps.clock.now()), history };
}

/** The pool as read in one round trip; the entries' referrals too where they were read. */
export type PoolEntryReads = Pick<PoolReads, 'entries' | 'history'> & Partial<Pick<PoolReads, 'referrals'>>;

export async function proposalView(
  deps: Dependencies,
  link: LinkRecord,
  snapshot?: PoolSnapshot,
): Promise<Extract<GroupLinkResult, { kind: 'proposal' }>> {
  const p = await partnership(deps);
  const { entries, everyone, history } = snapshot ?? (await poolSnapshot(deps, link.recipient.language));
  const waiting = entries.filter((e) => everyone.some((m) => m.referralId === e.referralId));
  const now = deps.clock.now();
  const plan = (pool: PoolEntry[], at: Date) =>
    proposeGroups(pool, p.groups.grouping, at, bandForecasts(p.groups.grouping, at, history));
  const proposals = plan(waiting, now).proposals.filter((x) => x.ageBand === link.ageBand);
  // The band's children, and the neighbours' the band's proposals take: the ones she may choose from.
  const proposed = new Set(proposals.flatMap((x) => x.members));
  const bandOf = new Map(entries.map((e) => [e.referralId, e.ageBand]));
  const members = everyone.filter(
    (m) => bandOf.get(m.referralId) === link.ageBand || proposed.has(m.referralId),
  );
  // The same forecast the planner plans with (the partnership's expected consents a year until there is
  // enough history), so the page's "one more week" and the planner's look-ahead agree.
  const [outlook] = placementOutlook({
    pool: waiting,
    now,
    ageBands: [link.ageBand!],
    plan,
    expectedArrivalsPerWeek: (band) => bandForecast(band, p.groups.grouping, now, history),
  });
  const today = stockholmDate(now);
  return {
    kind: 'proposal',
    status: 200,
    link,
    ageBand: link.ageBand!,
    members,
    suggestion: proposals[0],
    proposals,
    outlook,
    forecastFrom: forecastFromHistory(history, now) ? 'history' : 'settings',
    partnership: p,
    today,
  };
}

/**
 * What a meeting's attendance page is made from: the group, its members' ids and referrals, and the group's
 * earlier attendance (for two absences in a row). `knownIds`: the members a form names (its `present-<id>`
 * fields), read beside the member list so that one round trip reads them all.
 */
export interface AttendanceReads {
  group: Group | undefined;
  memberIds: string[];
  referrals: Map<string, Referral | undefined>;
  previous: AttendanceRecord[];
}

/** The members an attendance form names (`present-<referralId>`), at most a group's worth, well-formed only. */
export function namedMembers(body: Record<string, string>): string[] {
  return Object.keys(body)
    .filter((k) => /^present-[A-Za-z0-9_-]{1,64}$/.test(k))
    .slice(0, MOST_NAMED_MEMBERS)
    .map((k) => k.slice('present-'.length));
}
/** More than any group holds: a form naming more is not read for them all (the member list decides). */
const MOST_NAMED_MEMBERS = 40;

export async function readAttendance(
  deps: Dependencies,
  groupId: string,
  knownIds: string[] = [],
): Promise<AttendanceReads> {
  const [group, memberIds, given, previous] = await Promise.all([
    deps.store.getGroup(deps.config.partnershipId, groupId),
    deps.store.listGroupMembers(groupId),
    deps.store.getReferrals(knownIds),
    deps.store.listAttendance(groupId),
  ]);
  return { group, memberIds, referrals: new Map(knownIds.map((id, i) => [id, given[i]])), previous };
}

export async function attendanceView(
  deps: Dependencies,
  link: LinkRecord,
  reads?: AttendanceReads,
): Promise<GroupLinkResult> {
  // Attendance is for the children in the group: those whose seat the home visit confirmed. The group's
  // link names the group, so its members are read beside it.
  const [group, referrals] = reads
    ? [reads.group, await membersOf(deps, reads)]
    : await Promise.all([
        deps.store.getGroup(deps.config.partnershipId, link.referralId),
        activeMembers(deps, link.referralId, { confirmedOnly: true }),
      ]);
  if (!group) throw new Error(`Group ${link.referralId} not found`);
  const meeting = group.meetings?.find((m) => m.index === link.meeting);
  if (!meeting) return { kind: 'refused', link, reason: 'closed' };
  const members = await poolMembers(
    deps,
    referrals.map(({ referralId }) => ({
      referralId,
      ageBand: group.ageBand,
      district: '',
      waitingSince: new Date(0).toISOString(),
    })),
    link.recipient.language,
    false,
    referrals,
  );
  return { kind: 'attendance', status: 200, link, group, meeting, members };
}

/** The members attendance is for, from what was read (any a form did not name read now). */
async function membersOf(deps: Dependencies, reads: AttendanceReads): Promise<Referral[]> {
  const missing = reads.memberIds.filter((id) => !reads.referrals.has(id));
  const more = await deps.store.getReferrals(missing);
  const all = new Map([...reads.referrals, ...missing.map((id, i) => [id, more[i]] as const)]);
  return reads.memberIds.flatMap((id) => {
    const r = all.get(id);
    return r && isActive(r, true) ? [r] : [];
  });
}

const isActive = (r: Referral, confirmedOnly: boolean) =>
  r.status !== 'closed' && !r.withdrawal && (!confirmedOnly || seatConfirmed(r));

export async function auditGroupLink(
  deps: Dependencies,
  link: LinkRecord,
  outcome: string,
  referralIds: string[] = [link.referralId],
): Promise<void> {
  // Each child's event on her own timeline: side by side.
  await Promise.all(
    referralIds.map((referralId) =>
      audit(deps, {
        referralId,
        actor: { role: link.recipient.role, name: link.recipient.name },
        action: 'link-redeemed',
        detail: { step: link.step, outcome },
      }),
    ),
  );
}

// ---- The group workflow's tasks ----------------------------------------------------------------------------

/**
 * The meetings the group's execution goes through. `fromMeeting`: a retry at the meetings (ResumeSchedule)
 * goes on from the meeting that failed; the ones before it were held, reminded and asked about already.
 */
export async function scheduleGroup(
  { groupId, fromMeeting = 1 }: { groupId: string; fromMeeting?: number },
  deps: Dependencies,
): Promise<{ meetings: { index: number; remindAt: string; endsAt: string }[] }> {
  const group = await loadGroup(deps, groupId);
  if (!group.meetings?.length) throw new Error(`Group ${groupId} has no schedule`);
  // The group's execution waits for every meeting: a schedule past the span could outlast it (a year at most).
  const confirmed = group.confirmedAt ? new Date(group.confirmedAt) : deps.clock.now();
  if (scheduleSpanDays(group.meetings, confirmed) > MAX_GROUP_SPAN_DAYS)
    throw new Error(`Group ${groupId} ends more than ${MAX_GROUP_SPAN_DAYS} days after it was confirmed`);
  // Reminders go two days before each meeting; attendance is asked for when it has ended.
  return {
    meetings: group.meetings
      .filter((m) => m.index >= fromMeeting)
      .map((m) => ({
        index: m.index,
        remindAt: new Date(Date.parse(m.startsAt) - 2 * DAY).toISOString(),
        endsAt: m.endsAt,
      })),
  };
}

/**
 * The group's members still taking part (not closed, not withdrawn). `confirmedOnly`: those whose seat is
 * confirmed by the home visit, the only ones the schedule, the reminders and attendance are for.
 */
export async function activeMembers(
  deps: Dependencies,
  groupId: string,
  { confirmedOnly = false }: { confirmedOnly?: boolean } = {},
): Promise<Referral[]> {
  // One BatchGetItem for the whole group, not one read per child.
  const out: Referral[] = [];
  for (const r of await deps.store.getReferrals(await deps.store.listGroupMembers(groupId)))
    if (r && isActive(r, confirmedOnly)) out.push(r);
  return out;
}

/**
 * The schedule with a calendar file to the family home, and to custodians only where allowed
 * (scheduleCustodians). Sent once the home visit confirmed the seat, by the child's own Sessions entry
 * (enterSessions): the one sender, so a visit recorded as the group starts never sends it twice.
 */
export async function sendScheduleTo(deps: Dependencies, group: Group, r: Referral): Promise<void> {
  const p = await partnership(deps);
  await notifyOnce(deps, r.referralId, `schedule-${group.groupId}`, async () => {
    await deps.email.send(
      renderEmail(
        r.carer.email,
        groupSchedule(r, r.carer, group, p.groups.premises, 'carer'),
        deps.config.publicBaseUrl,
      ),
    );
    for (const c of scheduleCustodians(r))
      await deps.email.send(
        renderEmail(
          c.email,
          groupSchedule(r, c, group, p.groups.premises, 'custodian'),
          deps.config.publicBaseUrl,
        ),
      );
  });
}

/**
 * Two days before a meeting: a reminder to each member's family home, and to the custodians who received
 * the schedule (scheduleCustodians), each in their language and each sent once.
 */
export async function remindCarers(
  { groupId, meeting }: { groupId: string; meeting: number },
  deps: Dependencies,
): Promise<void> {
  const group = await loadGroup(deps, groupId);
  const m = group.meetings?.find((x) => x.index === meeting);
  if (!m) throw new Error(`Group ${groupId} has no meeting ${meeting}`);
  const p = await partnership(deps);
  const reminders = (await activeMembers(deps, groupId, { confirmedOnly: true })).flatMap((r) => [
    {
      r,
      key: `reminder-${groupId}-${meeting}`,
      to: r.carer.email,
      content: () => meetingReminder(r, r.carer, m, p.groups.premises),
    },
    ...scheduleCustodians(r).map((c) => ({
      r,
      key: `reminder-${groupId}-${meeting}-custodian-${c.number}`,
      to: c.email,
      content: () => meetingReminder(r, c, m, p.groups.premises, 'custodian'),
    })),
  ]);
  // Which went out already (a retried task), for every member in one read. One sender (the group's
  // execution), so nothing is claimed first, as notifyOnce does for one sender.
  const sent = await deps.store.wereNotified(
    reminders.map(({ r, key }) => ({ referralId: r.referralId, key })),
  );
  const marks: { referralId: string; key: string }[] = [];
  try {
    for (const [i, { r, key, to, content }] of reminders.entries()) {
      if (sent[i]) continue;
      await withNotificationId(`${r.referralId}.${key}`, () =>
        deps.email.send(renderEmail(to, content(), deps.config.publicBaseUrl)),
      );
      marks.push({ referralId: r.referralId, key });
    }
  } finally {
    // Marked together, one batch rather than a write per email; also when a send failed, so that the
    // retried task sends only the ones that did not go out. (A process killed mid-way sends them again.)
    await deps.store.markNotificationsSent(marks);
  }
}

/**
 * Sessions: the referral's workflow enters the group's wait once the child is placed. The social worker
 * hears of the placement here (format and start date), once: this is the first task of the referral after
 * every way of being placed (a confirmed group, or a freed seat), and a task the state machine retries.
 */
const PLACED = 'placed' satisfies SocialWorkerNotificationId;

export async function enterSessions(
  input: { referralId: string; taskToken: string },
  deps: Dependencies,
): Promise<'waiting' | 'answered'> {
  // Whether the social worker was told, read with the referral (one request, not two).
  const {
    referral,
    notified: [placedSent],
  } = await loadOpenReferralNotified(deps, input.referralId, [notificationMarker(PLACED)]);
  const group = referral.group && (await deps.store.getGroup(referral.partnershipId, referral.group.groupId));
  if (group) {
    // The home visit was recorded (the step before this one): the seat is confirmed, once on the timeline.
    await audit(
      deps,
      {
        referralId: referral.referralId,
        actor: { role: 'system' },
        action: 'seat-confirmed',
        phase: 'group-assignment',
        detail: { groupId: group.groupId },
      },
      'seat-confirmed',
    );
    await notifyOnce(
      deps,
      referral.referralId,
      PLACED,
      () =>
        deps.email.send(
          renderEmail(
            referral.socialWorker.email,
            groupPlaced(referral, socialWorker(referral), group),
            deps.config.publicBaseUrl,
          ),
        ),
      undefined,
      { sent: placedSent },
    );
    // The seat is confirmed (the home visit came first): the family home gets the schedule now, once.
    await sendScheduleTo(deps, group, referral);
  }
  return enterHumanStep(sessionsStep, input, deps, { notify: false });
}

export async function requestAttendance(
  { groupId, meeting, taskToken }: { groupId: string; meeting: number; taskToken: string },
  deps: Dependencies,
): Promise<void> {
  const group = await loadGroup(deps, groupId);
  const existing = await deps.store.getStep(groupId, 'attendance', meeting);
  if (existing?.emailSentAt && (await deps.store.bindLinkToken(existing.linkHash, taskToken))) return;
  const link = existing && (await deps.store.getLink(existing.linkHash));
  // Recorded already (the group's execution was resumed after a crash): the wait is over at once.
  if (link?.status === 'used') {
    await deps.workflow.sendTaskSuccess(taskToken, { attendance: 'recorded' });
    return;
  }
  const p = await partnership(deps);
  const leader = leaderOf(p, group);
  await mailStepLinkOnce(
    deps,
    {
      ownerId: groupId,
      step: 'attendance',
      slot: meeting,
      taskToken,
      kind: 'request',
      // As read here: a failed token bind wrote nothing, so the outbox need not read them again.
      known: { step: existing, link },
    },
    (make) =>
      make(
        { referralId: groupId, step: 'attendance', meeting, recipient: leader, taskToken },
        deps.config.linkTtlDays,
      ),
    (link, url) =>
      deps.email.send(
        renderEmail(
          leader.email,
          attendanceRequest(group, leader, meeting, url, link.expiresAt),
          deps.config.publicBaseUrl,
        ),
      ),
  );
}

/** After the last meeting every member's referral resumes into follow-up. */
export async function completeGroup({ groupId }: { groupId: string }, deps: Dependencies): Promise<void> {
  await deps.store.updateGroup(deps.config.partnershipId, groupId, { status: 'completed' });
  for (const r of await activeMembers(deps, groupId)) {
    if (r.phase !== 'sessions') continue;
    await resumeWaiting(deps, r.referralId, 'sessions', { sessions: 'completed' });
  }
}
