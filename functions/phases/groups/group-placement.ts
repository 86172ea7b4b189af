/**
 * A confirmed group's first step in its own workflow (PlaceMembers): the children the coordinator chose
 * are placed, her answer is written on their timelines, and the band's proposal clock stops. Done here and
 * not in her POST, so that her page waits for three table round trips (the group stored, its link used)
 * rather than for a chain per child (issue 15); the workflow retries it and every step can be repeated.
 */
import type { Group } from '../../domain/partnership';
import type { Dependencies } from '../../ports';
import { audit, inboxAnswerEvent } from '../../kernel/audit';
import { loadGroup } from './groups';
import { placeChild } from './seats';
import { proposalAnswered } from './pool-clock';

/** What PlaceMembers hands the workflow: whether the group has children, so that it runs. */
export interface Placement {
  formed: boolean;
}

export async function placeMembers({ groupId }: { groupId: string }, deps: Dependencies): Promise<Placement> {
  const group = await loadGroup(deps, groupId);
  // A running group (a retry at its schedule) was placed before: a child who left since stays out.
  if (group.status === 'running') return { formed: true };
  if (group.status !== 'forming' || !group.confirmation) return { formed: false };
  return { formed: (await placeConfirmedMembers(deps, group)).length > 0 };
}

/**
 * The children side by side: each one's placement item decides whether this group has her (another group
 * confirmed at the same moment may), and the group's seat count is one conditional update each. None
 * placed: the group is cancelled. Returns the children placed.
 */
async function placeConfirmedMembers(deps: Dependencies, group: Group): Promise<string[]> {
  const { confirmation } = group;
  if (!confirmation) throw new Error(`Group ${group.groupId} has no recorded confirmation`);
  const p = group.partnershipId;
  const at = group.confirmedAt ?? deps.clock.now().toISOString();
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
  const { answer, via } = confirmation;
  await Promise.all([
    // Her answer, on the timeline of every child it concerns, once (keyed by the group).
    answer && auditProposalAnswer(deps, answer, confirmation.by, at, group.groupId),
    // Confirmed from the staff inbox: each chosen child's timeline says where the answer came from.
    ...(via
      ? confirmation.members.map((referralId) =>
          audit(
            deps,
            inboxAnswerEvent(
              referralId,
              { role: answer?.role ?? 'coordinator', name: confirmation.by },
              'group-proposal',
              'confirm',
              { at },
            ),
            `inbox-confirm-${group.groupId}`,
          ),
        )
      : []),
    // The band's proposal is answered: its clock stops, with what the planner proposed before this group.
    answer && placed.length ? proposalAnswered(deps, group.ageBand, answer.shown) : undefined,
  ]);
  // Last, so that a group still 'forming' is one whose placement may be unfinished (it is repeated).
  // Every chosen child was taken into another group a moment earlier: no empty group runs.
  await Promise.all([
    deps.store.updateGroup(p, group.groupId, { status: placed.length ? 'running' : 'cancelled' }),
    // The children are out of the pool (or in another group): the confirmation's claim has done its work.
    deps.store.removePoolClaim(p, group.groupId),
  ]);
  return placed;
}

export type ProposalAnswer = NonNullable<NonNullable<Group['confirmation']>['answer']>;

/** Her answer to the band's proposal on the timeline of each child it concerns, side by side, once per key. */
export async function auditProposalAnswer(
  deps: Dependencies,
  answer: ProposalAnswer,
  by: string,
  at: string,
  onceKey: string,
): Promise<void> {
  await Promise.all(
    answer.affected.map((referralId) =>
      audit(
        deps,
        {
          referralId,
          at,
          actor: { role: answer.role, name: by },
          action: 'group-proposal-answered',
          phase: 'group-assignment',
          detail: answer.detail,
        },
        `group-proposal-answered-${onceKey}`,
      ),
    ),
  );
}
