/**
 * The staff task inbox (/staff/tasks): the open human steps a signed-in person owns, and for the
 * coordinator the pool of every age band. Acting from here is the same action as the emailed link: the
 * same schema, the same effects (the step module's `apply`, group-links' `redeemProposalLink` and
 * `redeemAttendanceLink`), the same single-use guard on the step's current link and the same workflow
 * callback. The actor is the signed-in person, and the audit event says it came from the inbox.
 *
 * A step whose link expired is still open: the inbox acts on the step's record (a new, never-mailed link
 * record takes the old one's place and task token), never by reviving the old token, which stays dead.
 */
import { createHash } from 'node:crypto';
import {
  stepSchedule,
  stepTimingOf,
  TIMED_STEPS,
  type Partnership,
  type TimedStep,
} from '../../domain/partnership';
import { message } from '../../domain/messages';
import type { Language, Referral } from '../../domain/referral';
import { fieldErrors } from '../../domain/referral-form';
import { mayReadNotes, maySeeReferral } from '../../domain/staff-access';
import {
  attendanceAnswer,
  STEP_PHASE,
  type AnyStepAction,
  type RecipientRole,
  type StepName,
} from '../../domain/steps';
import {
  StepNoLongerOpenError,
  type Dependencies,
  type LinkRecord,
  type StaffSession,
  type StepRecord,
} from '../../ports';
import { audit, inboxAnswerEvent, VIA_INBOX } from '../../kernel/audit';
import { HUMAN_STEP_MODULES } from '../human-steps';
import { partnershipOf } from '../../kernel/referrals';
import {
  attendanceView,
  poolSnapshot,
  proposalView,
  readPoolEntries,
  withReferrals,
  type GroupLinkResult,
  type PoolEntryReads,
  type PoolSnapshot,
} from '../groups/groups';
import { redeemAttendanceLink, redeemProposalLink } from '../groups/group-links';
import { staffLanguage } from '../../web/audit-labels';
import { ForbiddenError, PROTECTED_IDENTITY } from './staff';
import { TASK_TITLES } from './task-titles';

const DAY = 86_400_000;
/** How long the never-mailed link record made for one inbox action may wait for its POST. */
const INBOX_LINK_HOURS = 24;

export type TaskKind =
  | 'screening'
  | 'information-request'
  | 'consent'
  | 'consent-escalation'
  | 'home-visit'
  | 'attendance'
  | 'pool';

export interface InboxTask {
  kind: TaskKind;
  /** What to do, in the signed-in person's language. */
  title: string;
  /** The referral's reference, or for a group's task the group's name; none for a pool. */
  reference?: string;
  /** The child's first name where staff pages show it (never for a protected identity). */
  childLabel?: string;
  district?: string;
  dueAt: string;
  overdue: boolean;
  href: string;
}

const INBOX_STEPS = [
  'screening',
  'information-request',
  'consent',
  'consent-escalation',
  'home-visit',
] as const;
type InboxStep = (typeof INBOX_STEPS)[number];
/** Steps whose page shows notes (free text): only for those who may read the referral's notes. */
const SHOWS_NOTES: readonly StepName[] = ['screening', 'information-request'];

/** The steps a role answers, by the role the step's link is addressed to. */
function owns(session: StaffSession, recipientRole: RecipientRole): boolean {
  if (session.role === 'coordinator')
    return recipientRole === 'coordinator' || recipientRole === 'group-leader';
  if (session.role === 'social-worker') return recipientRole === 'social-worker';
  return false;
}

const childLabel = (r: Referral, lang: Language) =>
  r.child.protectedIdentity ? PROTECTED_IDENTITY[lang] : r.child.firstName;

/** The path segment of a step task: `screening`, `consent-escalation`, `consent-1`, `attendance-3`. */
export function taskSegment(step: StepName, slot?: number): string {
  return slot ? `${step}-${slot}` : step;
}

export function parseTaskSegment(
  segment: string,
): { step: InboxStep | 'attendance'; slot?: number } | undefined {
  if (
    segment === 'screening' ||
    segment === 'information-request' ||
    segment === 'consent-escalation' ||
    segment === 'home-visit'
  )
    return { step: segment };
  const m = /^(consent|attendance)-(\d{1,3})$/.exec(segment);
  return m ? { step: m[1] as 'consent' | 'attendance', slot: Number(m[2]) } : undefined;
}

/**
 * The step records of a referral (or a group) with each one's link where it is open. The records and the
 * referral's links are read side by side (two Queries, one round trip), not the records first and then
 * each record's link: the inbox waits for one round trip less. Both are listings of what is open now; acting
 * on a task reads the step and its link again (stepTask).
 */
async function stepsWithOpenLinks(
  deps: Dependencies,
  ownerId: string,
): Promise<{ record: StepRecord; link: LinkRecord | undefined }[]> {
  const [records, links] = await Promise.all([deps.store.listSteps(ownerId), deps.store.listLinks(ownerId)]);
  const open = new Map(links.filter((l) => l.status === 'open').map((l) => [l.linkHash, l]));
  return records.map((record) => ({ record, link: open.get(record.linkHash) }));
}

/**
 * A step escalated to the person's role that her role may then answer (the coordinator, when an information
 * request is overdue): its schedule, once its escalation day has come.
 */
function escalatedTo(
  session: StaffSession,
  step: StepName,
  timed: { escalationAt: number; deadlineAt: number } | undefined,
  now: Date,
): boolean {
  const timing = HUMAN_STEP_MODULES[step].timing;
  return (
    !!timed &&
    !!timing?.escalationMayAnswer &&
    session.role === timing.escalationMayAnswer &&
    now.getTime() >= timed.escalationAt
  );
}

/** The step's clock for this round (a timed step), from the partnership's timing. */
function scheduleOf(p: Pick<Partnership, 'stepTiming'>, step: StepName, record: StepRecord) {
  return (TIMED_STEPS as readonly string[]).includes(step)
    ? stepSchedule(stepTimingOf(p, step as TimedStep), Date.parse(record.since ?? record.enteredAt))
    : undefined;
}

/** Still the referral's current step: the referral runs, is not withdrawn, and is in the step's phase. */
function stepStillOpen(referral: Referral | undefined, step: StepName): referral is Referral {
  return (
    !!referral && referral.status === 'active' && !referral.withdrawal && referral.phase === STEP_PHASE[step]
  );
}

export async function listTasks(session: StaffSession, deps: Dependencies): Promise<InboxTask[]> {
  if (session.role === 'partnership-admin') throw new ForbiddenError('tasks');
  const p = await partnershipOf(deps, { partnershipId: deps.config.partnershipId });
  const now = deps.clock.now();
  const lang = staffLanguage(session);
  const titles = TASK_TITLES[lang];
  const tasks: Omit<InboxTask, 'overdue'>[] = [];
  const coordinator = session.role === 'coordinator';
  const bands = p.groups.grouping.ageBands;
  // Two rounds of reads after the session, each sent side by side: first the lists (the running referrals,
  // the pool, the bands' clocks, the groups), then what they lead to (the referrals' and the running groups'
  // steps with their links, the pool's children). Every read of the second round starts once the first is
  // done, so the inbox waits for two round trips, however the reads of one round interleave.
  const [active, pool, clocks, groups] = await Promise.all([
    // The running referrals: one Query of the status index, not one per district.
    deps.store.listReferralsByStatus('active'),
    coordinator
      ? Promise.all([deps.store.listPool(p.id), deps.store.consentHistory(p.id)]).then(
          ([entries, history]) => ({ entries, history }),
        )
      : undefined,
    coordinator ? Promise.all(bands.map((band) => deps.store.getProposalClock(p.id, band.label))) : [],
    coordinator ? deps.store.listGroups(p.id) : [],
  ]);
  // Of the partnership's districts, as the referral list shows them.
  const referrals = active.filter(
    (r) =>
      r.partnershipId === p.id &&
      p.districts.includes(r.district) &&
      !r.withdrawal &&
      maySeeReferral(session, r) &&
      // Only a referral in the phase of an inbox step can have one open (stepStillOpen).
      INBOX_STEPS.some((step) => STEP_PHASE[step] === r.phase),
  );
  const running = groups.filter((g) => g.status === 'running');
  const [referralSteps, groupSteps, snapshot] = await Promise.all([
    Promise.all(referrals.map((r) => stepsWithOpenLinks(deps, r.referralId))),
    Promise.all(running.map((g) => stepsWithOpenLinks(deps, g.groupId))),
    pool && poolSnapshot(deps, lang, pool),
  ]);
  const referralTasks = () => {
    for (const [n, r] of referrals.entries()) {
      for (const { record, link } of referralSteps[n]!) {
        const step = record.step as InboxStep;
        if (!INBOX_STEPS.includes(step) || !stepStillOpen(r, step)) continue;
        if (SHOWS_NOTES.includes(step) && !mayReadNotes(session, r)) continue;
        if (!link) continue;
        // Due: a timed step when it is escalated (the owner's own time is up), consent at its round's
        // deadline, anything else when its link expires.
        const timed = scheduleOf(p, step, record);
        if (!owns(session, link.recipient.role)) {
          // Escalated to her, and hers to answer now too (an overdue information request: screen without it).
          if (escalatedTo(session, step, timed, now)) {
            tasks.push({
              kind: step,
              title: titles.escalatedInformationRequest,
              reference: r.referralId,
              childLabel: childLabel(r, lang),
              district: r.district,
              dueAt: new Date(timed!.deadlineAt).toISOString(),
              href: `/staff/tasks/step/${r.referralId}/${taskSegment(step, record.custodian)}`,
            });
            continue;
          }
          // A social worker's overdue escalation answer is escalated to Bris's coordinator: shown to her
          // (to follow up with the social worker, whose decision it stays), until its deadline.
          const escalated =
            session.role === 'coordinator' &&
            step === 'consent-escalation' &&
            !!timed &&
            now.getTime() >= timed.escalationAt;
          if (escalated)
            tasks.push({
              kind: step,
              title: titles.escalatedToCoordinator,
              reference: r.referralId,
              childLabel: childLabel(r, lang),
              district: r.district,
              dueAt: new Date(timed.deadlineAt).toISOString(),
              href: `/staff/referrals/${r.referralId}`,
            });
          continue;
        }
        const due = timed
          ? new Date(timed.escalationAt).toISOString()
          : step === 'consent' && r.consentRound?.deadlineAt
            ? r.consentRound.deadlineAt
            : link.expiresAt;
        tasks.push({
          kind: step,
          title: titles[step](record.custodian),
          reference: r.referralId,
          childLabel: childLabel(r, lang),
          district: r.district,
          dueAt: due,
          href: `/staff/tasks/step/${r.referralId}/${taskSegment(step, record.custodian)}`,
        });
      }
    }
  };
  // One pool snapshot for every band's page, beside every band's clock.
  const bandTasks = async (snapshot: PoolSnapshot) => {
    await Promise.all(
      bands.map(async (band, i) => {
        const clock = clocks[i];
        const view = await proposalView(deps, poolLinkFor(session, band.label, '', now), snapshot);
        if (!view.members.length) return;
        const waiting = snapshot.entries
          .filter((e) => e.ageBand === band.label)
          .filter((e) => view.members.some((m) => m.referralId === e.referralId))
          .map((e) => e.waitingSince)
          .sort();
        // The longest a child may wait in the pool before the referral ends without a group; an open proposal
        // is due sooner, when it is escalated (the coordinator's own time is up), as a timed step is.
        const poolDeadline = Date.parse(waiting[0]!) + p.groups.grouping.maxPoolDays * DAY;
        const escalationAt =
          clock && !clock.stopped && view.suggestion
            ? stepSchedule(stepTimingOf(p, 'group-assignment'), Date.parse(clock.since), poolDeadline)
                .escalationAt
            : poolDeadline;
        tasks.push({
          kind: 'pool',
          title: titles.pool(band.label, view.members.length, view.suggestion),
          dueAt: new Date(Math.min(escalationAt, poolDeadline)).toISOString(),
          href: `/staff/tasks/pool/${encodeURIComponent(band.label)}`,
        });
      }),
    );
  };
  const groupTasks = () => {
    for (const [n, group] of running.entries()) {
      for (const { record, link } of groupSteps[n]!) {
        if (record.step !== 'attendance' || !link) continue;
        // Due when the leader's own time is up and it is escalated to the coordinator (stepTiming.attendance).
        const { escalationAt } = stepSchedule(
          stepTimingOf(p, 'attendance'),
          Date.parse(record.since ?? record.enteredAt),
        );
        tasks.push({
          kind: 'attendance',
          title: titles.attendance(record.custodian),
          reference: group.name,
          dueAt: new Date(escalationAt).toISOString(),
          href: `/staff/tasks/step/${group.groupId}/${taskSegment('attendance', record.custodian)}`,
        });
      }
    }
  };
  referralTasks();
  groupTasks();
  if (snapshot) await bandTasks(snapshot);
  const at = now.toISOString();
  // Overdue first (their due dates are the earliest), then by due date.
  return tasks
    .map((t) => ({ ...t, overdue: t.dueAt <= at }))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || (a.reference ?? '').localeCompare(b.reference ?? ''));
}

// ---- Acting on a step --------------------------------------------------------------------------------------

const actorOf = (session: StaffSession) => ({
  role: (session.role === 'social-worker' ? 'social-worker' : 'coordinator') as RecipientRole,
  name: session.name,
});

/** The step's current link, as the signed-in person acts through it (she is its recipient here). */
function asActor(link: LinkRecord, session: StaffSession, role = link.recipient.role): LinkRecord {
  return {
    ...link,
    recipient: {
      ...link.recipient,
      role,
      name: session.name,
      email: session.email,
      language: staffLanguage(session),
    },
  };
}

export type StepTask =
  | {
      kind: 'open';
      step: InboxStep;
      link: LinkRecord;
      record: StepRecord;
      referral: Referral;
      retentionMonths: number;
      /** The role she answers as when the step was escalated to it; absent, the link's own. */
      actorRole?: RecipientRole;
      partnership: Partnership;
    }
  | {
      kind: 'attendance';
      link: LinkRecord;
      record: StepRecord;
      view: Extract<GroupLinkResult, { kind: 'attendance' }>;
    }
  | { kind: 'gone'; reason: 'used' | 'closed' | 'unknown' };

/** The task behind /staff/tasks/step/{id}/{task}, if the person may act on it and it is still open. */
export async function stepTask(
  session: StaffSession,
  ownerId: string,
  segment: string,
  deps: Dependencies,
): Promise<StepTask> {
  if (session.role === 'partnership-admin') throw new ForbiddenError('tasks');
  const parsed = parseTaskSegment(segment);
  if (!parsed) return { kind: 'gone', reason: 'unknown' };
  const { step, slot } = parsed;
  if (step === 'attendance') {
    if (session.role !== 'coordinator') throw new ForbiddenError('attendance');
    const record = await deps.store.getStep(ownerId, 'attendance', slot);
    const link = record && (await deps.store.getLink(record.linkHash));
    const group = await deps.store.getGroup(deps.config.partnershipId, ownerId);
    if (!record || !link || !group) return { kind: 'gone', reason: 'unknown' };
    if (link.status !== 'open' || group.status !== 'running')
      return { kind: 'gone', reason: link.status === 'used' ? 'used' : 'closed' };
    const view = await attendanceView(deps, asActor(link, session));
    if (view.kind !== 'attendance') return { kind: 'gone', reason: 'closed' };
    return { kind: 'attendance', link, record, view };
  }
  // The referral and its step side by side; the step's link, once the referral says she may see it.
  const [referral, record] = await Promise.all([
    deps.store.getReferral(ownerId),
    deps.store.getStep(ownerId, step, slot),
  ]);
  if (!referral || (referral as unknown as { status: string }).status === 'erased')
    return { kind: 'gone', reason: 'unknown' };
  if (!maySeeReferral(session, referral)) throw new ForbiddenError('referral');
  if (SHOWS_NOTES.includes(step) && !mayReadNotes(session, referral)) throw new ForbiddenError('notes');
  const link = record && (await deps.store.getLink(record.linkHash));
  if (!record || !link) return { kind: 'gone', reason: 'unknown' };
  const partnership = await partnershipOf(deps, referral);
  let actorRole: RecipientRole | undefined;
  if (!owns(session, link.recipient.role)) {
    if (!escalatedTo(session, step, scheduleOf(partnership, step, record), deps.clock.now()))
      throw new ForbiddenError('step');
    actorRole = HUMAN_STEP_MODULES[step].timing!.escalationMayAnswer!;
  }
  if (link.status === 'used') return { kind: 'gone', reason: 'used' };
  if (link.status !== 'open' || !stepStillOpen(referral, step)) return { kind: 'gone', reason: 'closed' };
  const { retentionMonths } = partnership;
  return { kind: 'open', step, link, record, referral, retentionMonths, partnership, actorRole };
}

/**
 * The link record the inbox uses for a step: the step's current link while it works; when it expired, a
 * never-mailed one derived from it (so two POSTs at once find the same record and one of them wins), which
 * takes over the step record and the task token. The old link is closed: its token stays refused.
 */
async function usableLink(
  deps: Dependencies,
  record: StepRecord,
  link: LinkRecord,
  at: string,
): Promise<LinkRecord> {
  if (link.expiresAt > at) return link;
  const linkHash = `inbox-${createHash('sha256').update(link.linkHash).digest('hex')}`;
  const stored = await deps.store.putLink({
    ...link,
    linkHash,
    createdAt: at,
    expiresAt: new Date(Date.parse(at) + INBOX_LINK_HOURS * 3_600_000).toISOString(),
    status: 'open',
    usedAt: undefined,
    usedAction: undefined,
  });
  if (record.linkHash !== linkHash) await deps.store.putStep({ ...record, linkHash });
  await deps.store.setLinkStatus(link.linkHash, 'closed');
  return stored;
}

export type ActResult =
  | { kind: 'done'; action: AnyStepAction; link: LinkRecord }
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'group'; result: GroupLinkResult }
  | { kind: 'try-again' }
  | { kind: 'gone'; reason: 'used' | 'closed' | 'unknown' };

async function auditInbox(
  deps: Dependencies,
  session: StaffSession,
  referralId: string,
  step: string,
  outcome: string,
  extra: Record<string, string> = {},
  onceKey?: string,
) {
  const phase = step in STEP_PHASE ? STEP_PHASE[step as StepName] : undefined;
  await audit(deps, inboxAnswerEvent(referralId, actorOf(session), step, outcome, { phase, extra }), onceKey);
}

/** POST /staff/tasks/step/{id}/{task}: the step's action, as its emailed link would perform it. */
export async function actOnStep(
  session: StaffSession,
  ownerId: string,
  segment: string,
  body: Record<string, string>,
  deps: Dependencies,
): Promise<ActResult> {
  const task = await stepTask(session, ownerId, segment, deps);
  if (task.kind === 'gone') return task;
  const at = deps.clock.now().toISOString();
  if (task.kind === 'attendance') {
    const parsed = attendanceAnswer().safeParse(body);
    if (!parsed.success) return { kind: 'invalid', errors: fieldErrors(parsed.error) };
    const link = await usableLink(deps, task.record, task.link, at);
    // Recorded by the coordinator (the only role whose inbox lists attendance), in her own name and role.
    const actor = asActor(link, session);
    const byCoordinator = { ...actor, recipient: { ...actor.recipient, role: 'coordinator' as const } };
    const result = await redeemAttendanceLink(byCoordinator, body, deps);
    if (result.kind === 'group-done')
      await auditInbox(deps, session, ownerId, 'attendance', 'record', {
        meeting: String(task.record.custodian),
      });
    return { kind: 'group', result };
  }
  const { referral, step } = task;
  // The step's own module: the same schema, checks, effects and workflow answer as its emailed link.
  const answer = HUMAN_STEP_MODULES[step].answer;
  if (!answer) return { kind: 'gone', reason: 'closed' };
  const role = task.actorRole ?? task.link.recipient.role;
  const parsed = answer.schema(role).safeParse(body);
  if (!parsed.success) return { kind: 'invalid', errors: fieldErrors(parsed.error) };
  const action = parsed.data;
  const errors = answer.check?.(deps, { link: asActor(task.link, session, role), referral }, action);
  if (errors) return { kind: 'invalid', errors };

  const link = await usableLink(deps, task.record, task.link, at);
  // The same single-use guard as the emailed link: afterwards that link answers that it is used.
  if ((await deps.store.useLink(link.linkHash, at, action.action)) !== 'ok') {
    await auditInbox(deps, session, referral.referralId, step, 'refused-used');
    return { kind: 'gone', reason: 'used' };
  }
  const custodian: Record<string, string> = link.custodian ? { custodian: String(link.custodian) } : {};
  try {
    let answered = action;
    const applied = await answer.apply(deps, { link: asActor(link, session, role), referral }, action, at);
    if (applied === 'answered-already') {
      // Recorded a moment ago through the step's link, whose request then found the link used by this one:
      // this one, holding the link, resumes the workflow, with the answer recorded.
      const now = { link, referral: (await deps.store.getReferral(referral.referralId)) ?? referral };
      const recorded = answer.first?.recorded(now);
      if (!recorded) {
        await auditInbox(deps, session, referral.referralId, step, 'refused-used');
        return { kind: 'gone', reason: 'used' };
      }
      answered = recorded.action;
    }
    const resolution = answer.resolution(answered);
    // Asked anew: the answer bound the waiting task to a new link (apply did), so nothing resumes yet.
    if (resolution.kind === 'success') await deps.workflow.sendTaskSuccess(link.taskToken, resolution.output);
    else if (resolution.kind === 'failure')
      await deps.workflow.sendTaskFailure(link.taskToken, resolution.error, resolution.cause);
  } catch (error) {
    if (error instanceof StepNoLongerOpenError) {
      await answer.takeBack?.(deps, { link, referral });
      const record = await deps.store.getStep(referral.referralId, step, link.custodian);
      if (
        record?.linkHash === link.linkHash &&
        stepStillOpen(await deps.store.getReferral(referral.referralId), step)
      ) {
        // Between two waits of this very step (a reminder timer): the answer will fit in a moment.
        await deps.store.reopenLink(link.linkHash);
        await auditInbox(deps, session, referral.referralId, step, 'refused-step-between-waits', custodian);
        return { kind: 'try-again' };
      }
      await deps.store.setLinkStatus(link.linkHash, 'closed');
      await auditInbox(deps, session, referral.referralId, step, 'refused-step-no-longer-open', custodian);
      return { kind: 'gone', reason: 'closed' };
    }
    // Nothing was resumed: give the link back so that the step can be answered again.
    await deps.store.reopenLink(link.linkHash);
    throw error;
  }
  await auditInbox(deps, session, referral.referralId, step, action.action, custodian);
  return { kind: 'done', action, link: asActor(link, session, role) };
}

// ---- The pool of an age band -------------------------------------------------------------------------------

const INCOMPLETE_FORM = message({
  sv: 'Formuläret är ofullständigt. Ladda om sidan.',
  en: 'The form is incomplete. Reload the page.',
});

/** A form id: one confirmation per form, so a double-submitted form confirms once. */
export const FORM_ID_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * The never-mailed proposal link record of one inbox form. Its hash is derived from the form id, the
 * person and the band with a prefix no token hashes to, so the form id is no capability at /links.
 */
function poolLinkFor(session: StaffSession, band: string, formId: string, now: Date): LinkRecord {
  const digest = createHash('sha256').update(`pool\n${band}\n${session.email}\n${formId}`).digest('hex');
  return {
    linkHash: `inbox-${digest}`,
    referralId: 'pool',
    step: 'group-proposal',
    ageBand: band,
    recipient: {
      role: 'coordinator',
      name: session.name,
      email: session.email,
      language: staffLanguage(session),
    },
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INBOX_LINK_HOURS * 3_600_000).toISOString(),
    status: 'open',
    taskToken: '',
  };
}

async function knownBand(deps: Dependencies, band: string): Promise<boolean> {
  const p = await partnershipOf(deps, { partnershipId: deps.config.partnershipId });
  return p.groups.grouping.ageBands.some((b) => b.label === band);
}

/** GET /staff/tasks/pool/{band}: the band's pool with the planner's current proposal. */
export async function poolTask(
  session: StaffSession,
  band: string,
  deps: Dependencies,
): Promise<Extract<GroupLinkResult, { kind: 'proposal' }> | undefined> {
  if (session.role !== 'coordinator') throw new ForbiddenError('pool');
  if (!(await knownBand(deps, band))) return undefined;
  return proposalView(deps, poolLinkFor(session, band, '', deps.clock.now()));
}

/** POST /staff/tasks/pool/{band}: confirm (or postpone) as the emailed pool link does. */
export async function actOnPool(
  session: StaffSession,
  band: string,
  body: Record<string, string>,
  deps: Dependencies,
  /** The pool's entries, read beside the session (readPoolEntries). */
  pooled?: Promise<PoolEntryReads>,
): Promise<GroupLinkResult | undefined> {
  if (session.role !== 'coordinator') throw new ForbiddenError('pool');
  if (!(await knownBand(deps, band))) return undefined;
  const formId = body.formId ?? '';
  if (!FORM_ID_PATTERN.test(formId)) {
    const view = await proposalView(deps, poolLinkFor(session, band, '', deps.clock.now()));
    return {
      ...view,
      status: 400,
      errors: { _form: INCOMPLETE_FORM },
      values: body,
    };
  }
  const fresh = poolLinkFor(session, band, formId, deps.clock.now());
  const entries = await (pooled ?? readPoolEntries(deps));
  // The form's link is stored by its use, with the answer's own writes. Its record names a child waiting in
  // the band, so that erasing that referral finds it.
  const waiting = entries.entries.find((e) => e.ageBand === band) ?? entries.entries[0];
  const unstored = { ...fresh, referralId: waiting?.referralId ?? 'pool' };
  // The group's placement writes, on each chosen child's timeline, that her answer came from the inbox.
  // Letting the proposal wait: the link is used beside the read of the children (a second send is refused).
  if (body.action === 'postpone') return redeemProposalLink(unstored, body, deps, entries, VIA_INBOX, false);
  // A confirmation: the children read, and beside them whether this form was sent before (a double click:
  // its first confirmation answers it, and no second group is made only to be cancelled).
  const [pool, sentBefore] = await Promise.all([
    withReferrals(deps, entries),
    deps.store.getLink(fresh.linkHash),
  ]);
  if (sentBefore) return redeemProposalLink(sentBefore, body, deps, pool, VIA_INBOX);
  return redeemProposalLink(unstored, body, deps, pool, VIA_INBOX, false);
}
