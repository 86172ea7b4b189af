/**
 * The group phase's waits. Waiting in the pool and taking part in the group are silent: their links are
 * never mailed, they hold the task token so that a confirmed group, a completed group or a withdrawal can
 * resume or stop the wait. Attendance is answered through the group's own link (group-links.ts).
 * The pool's wait runs on its age band's group proposal clock (pool-clock.ts).
 */
import { type Group, type Partnership, staffLanguageOf } from '../../domain/partnership';
import type { Referral } from '../../domain/referral';
import type { HumanStep } from '../../kernel/human-step';
import {
  aboveTheCoordinator,
  coordinatorOf,
  coordinatorRecipient,
  partnershipOf,
  type Recipient,
} from '../../kernel/referrals';
import type { Dependencies } from '../../ports';
import { poolClock } from './pool-clock';

/** A group's leader (the coordinator leads a group without one), as a recipient. */
export function leaderOf(
  p: Pick<Partnership, 'coordinator' | 'staff'>,
  g: Pick<Group, 'leader'> | undefined,
): Recipient {
  const leader = g?.leader ?? p.coordinator;
  // A leader on the staff list reads her own language; one who is not reads Swedish.
  return { role: 'group-leader', ...leader, language: staffLanguageOf(p, leader.email) };
}

/** The leader of the referral's group (the coordinator for a group without one). */
export async function groupLeader(deps: Dependencies, referral: Referral): Promise<Recipient> {
  const p = await partnershipOf(deps, referral);
  // The one group, by its key: not the partnership's every group on each step entry.
  const group = referral.group ? await deps.store.getGroup(p.id, referral.group.groupId) : undefined;
  return leaderOf(p, group);
}

async function groupCompleted(deps: Dependencies, referral: Referral): Promise<boolean> {
  if (!referral.group) return false;
  const group = await deps.store.getGroup(deps.config.partnershipId, referral.group.groupId);
  return group?.status === 'completed';
}

export const poolStep: HumanStep = {
  name: 'group-assignment',
  phase: 'group-assignment',
  recipient: (deps, referral) => coordinatorRecipient(deps, referral),
  async settledBy(_deps, referral) {
    return referral.group ? { groupId: referral.group.groupId } : undefined;
  },
  async recordedAnswer(_deps, referral) {
    return referral.group ? { kind: 'success', output: { groupId: referral.group.groupId } } : undefined;
  },
  // The coordinator's group proposal for the band: she is reminded, then Bris's other coordinators are
  // asked (they can confirm from the inbox), or where there are none the partnership's follow-up is told.
  // The pool ends as it always has: at maxPoolDays each waiting child's referral closes as no-group.
  timing: {
    step: 'group-assignment',
    escalateTo: async (deps, referral) => aboveTheCoordinator(await partnershipOf(deps, referral)),
    clock: poolClock,
  },
};

const completed = { kind: 'success', output: { sessions: 'completed' } } as const;

export const sessionsStep: HumanStep = {
  name: 'sessions',
  phase: 'sessions',
  recipient: groupLeader,
  async settledBy(deps, referral) {
    return (await groupCompleted(deps, referral)) ? completed.output : undefined;
  },
  // The sessions link is only ever used by the group's completion.
  recordedAnswer: async () => completed,
};

export const attendanceStep: HumanStep = {
  name: 'attendance',
  phase: 'sessions',
  recipient: groupLeader,
  recordedAnswer: async () => undefined,
};

/**
 * Attendance's timing policy (partnership `stepTiming.attendance`, counted from when the leader is asked,
 * as the meeting ends): the leader is reminded with a fresh link; then the coordinator is told, who can
 * record it from /staff/tasks; at the deadline each member's timeline says attendance was not recorded,
 * and the group goes on. Its clock runs per group and meeting (attendance-clock.ts), not per referral,
 * hence declared beside the module rather than as a referral step's `timing`.
 */
export const attendanceTiming = {
  step: 'attendance',
  escalateTo: (p: Pick<Partnership, 'coordinator' | 'staff'>): Recipient[] => [coordinatorOf(p)],
} as const;
