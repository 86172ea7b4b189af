/**
 * The group proposal's clock (`poolStep.timing.clock`). The coordinator's task is her age band's pool,
 * not one child, so every child waiting in a band runs its wait on the band's one clock: it starts when
 * the planner first proposes a group for the band, reminds the coordinator on the partnership's days with
 * a fresh link to the proposal, then tells the people above her; it stops when she confirms a group or
 * chooses to wait (`proposalAnswered`). Which proposal is materially new: `nextProposalClock`.
 * Each child's own final deadline is the pool's: `maxPoolDays` after it began to wait, when its referral
 * closes as no-group. The state machine looks again at least weekly, so waiting limits are noticed.
 */
import {
  bandForecasts,
  nextProposalClock,
  POOL_LOOK_AGAIN_DAYS,
  proposeGroups,
  unclaimed,
  type BandForecasts,
  type PoolClaim,
  type PoolEntry,
  type Proposal,
  type ProposalClock,
} from '../../domain/grouping';
import type { Partnership, StepTiming } from '../../domain/partnership';
import type { Referral } from '../../domain/referral';
import type { StepClock } from '../../kernel/human-step';
import { audit } from '../../kernel/audit';
import { coordinatorOf, loadReferral, partnershipOf } from '../../kernel/referrals';
import type { Dependencies } from '../../ports';
import { renderEmail } from '../../web/emails/render';
import { poolProposalOverdue, poolProposalReminder, staffPoolUrl } from './pool-emails';

const DAY = 86_400_000;

/** Whose notifications a band's reminders and escalation are (kept as a referral's are; table-design.ts). */
export const proposalOwner = (partnershipId: string, ageBand: string) => `pool-${partnershipId}-${ageBand}`;

/** Whether a referral's wait in the pool has ended: closed, withdrawn (Close follows), or placed. */
export const waitEnded = (r: Referral) => r.status === 'closed' || !!r.withdrawal || !!r.group;

/**
 * The forecast the planner plans with: the partnership's own consents once they cover enough weeks, until
 * then its configured rate (`bandForecast`). One Query of the consent history.
 */
export async function poolForecast(deps: Dependencies, p: Partnership, now: Date): Promise<BandForecasts> {
  return bandForecasts(p.groups.grouping, now, await deps.store.consentHistory(p.id));
}

/**
 * The child joins its band's pool (its first entry keeps its time); a child placed already does not.
 * Entering the pool is recorded once in the consent history, for the forecast (a wait re-entered later
 * finds its entry and records nothing). Resolves with the referral as read after the entry was written.
 */
export async function joinPool(deps: Dependencies, referral: Referral, p: Partnership): Promise<Referral> {
  if (referral.group) return referral;
  const waitingSince = deps.clock.now().toISOString();
  const entered = await deps.store.putPoolEntry(p.id, {
    referralId: referral.referralId,
    ageBand: referral.child.ageBand,
    district: referral.district,
    waitingSince,
    needs: referral.needs,
    age: referral.child.ageAtReferral,
  });
  // Found there (every wait after the first): this call wrote nothing, so there is nothing to undo, and
  // the referral read at the start of this invocation stands.
  if (!entered) return referral;
  await deps.store.recordConsent(p.id, { ageBand: referral.child.ageBand, at: waitingSince });
  // Placed, withdrawn or closed while joining (a confirmation or a withdrawal finishing alongside): that
  // change removed the entry before this one was written, so take it out again (planPool).
  const fresh = await loadReferral(deps, referral.referralId);
  if (waitEnded(fresh)) await deps.store.removePoolEntry(p.id, referral.child.ageBand, referral.referralId);
  return fresh;
}

/**
 * What a child's wait in the pool (`awaitGroup`) needs of the pool, as the band's clock read it in the
 * state right before the wait (`$.timer.forWait`): the wait then reads the whole pool and the consent
 * history no second time (two whole-pool Queries per wait before; issue 15).
 */
export interface PoolView {
  /** When the child began to wait, as its entry says; null when the planner does not count it. */
  waitingSince: string | null;
  /** A confirmation has claimed the child: its group's placement resumes the wait in a moment. */
  claimed: boolean;
  /** Children waiting in the child's band (claimed ones left out). */
  inBand: number;
  /** The group the planner proposes with the child, of any band (a neighbour's may take it at the edge). */
  proposal: Proposal | null;
}

/** The pool as the planner sees it now: unclaimed entries, every band's proposals, and the stored entries. */
interface PoolPlan {
  stored: { entries: PoolEntry[]; claims: PoolClaim[] };
  pool: PoolEntry[];
  proposals: Proposal[];
}

/**
 * The pool as planned, with the consent history read beside it. The children waiting: every band's
 * entries (one Query of the pool's partition, which holds the claims too), since the planner may seat a
 * child at the edge of a neighbouring band; children a confirmation has claimed while its group's
 * workflow places them are left out (PoolClaim).
 *
 * An entry stands for a wait, so no referral is read here: every change that ends a wait (a placement, a
 * withdrawal, a closing) is written on the referral first and then removes the entry, and `joinPool` reads
 * the referral after writing its entry and takes it out again if the wait had ended meanwhile. Whichever of
 * the two comes second sees the other, so no entry outlives its wait by more than the moment between one
 * request and the next. Reading every waiting child's referral instead cost a pool's worth of reads on
 * every wait: O(pool) per child (bench/request-shapes.ts, issue 15).
 */
async function planPool(deps: Dependencies, p: Partnership, now: Date): Promise<PoolPlan> {
  const [stored, forecast] = await Promise.all([
    deps.store.listPoolWithClaims(p.id),
    poolForecast(deps, p, now),
  ]);
  const pool = unclaimed(stored.entries, stored.claims, now);
  return { stored, pool, proposals: proposeGroups(pool, p.groups.grouping, now, forecast).proposals };
}

/** A child's view of a plan (`PoolView`). */
function poolViewOf(referral: Referral, plan: PoolPlan): PoolView {
  const id = referral.referralId;
  const mine = plan.pool.find((e) => e.referralId === id);
  return {
    waitingSince: mine?.waitingSince ?? null,
    claimed: !mine && plan.stored.entries.some((e) => e.referralId === id),
    inBand: plan.pool.filter((e) => e.ageBand === referral.child.ageBand).length,
    proposal: plan.proposals.find((g) => g.members.includes(id)) ?? null,
  };
}

/** A child's view of the pool read now: for a wait whose state carries none (an execution started before). */
export async function readPoolView(
  deps: Dependencies,
  p: Partnership,
  referral: Referral,
): Promise<PoolView> {
  return poolViewOf(referral, await planPool(deps, p, deps.clock.now()));
}

/** The band's clock as it stands with what the planner proposes now: kept, started anew, or stopped. */
export async function bandProposalClock(
  deps: Dependencies,
  p: Partnership,
  ageBand: string,
): Promise<{
  clock?: ProposalClock;
  /** The band's proposals (they may hold a neighbouring band's edge child). */
  proposals: Proposal[];
  /** The band's own waiting children. */
  waiting: PoolEntry[];
  /** The whole plan the band's part was taken from. */
  plan: PoolPlan;
}> {
  const now = deps.clock.now();
  // The clock is read before the pool: a child whose wait started a clock had joined the pool first, so
  // this reading sees that child, and cannot stop its clock for want of a proposal.
  const stored = await deps.store.getProposalClock(p.id, ageBand);
  // The whole pool, as the planner plans: the band's groups may take a neighbour's child at the edge.
  const plan = await planPool(deps, p, now);
  const waiting = plan.pool.filter((e) => e.ageBand === ageBand);
  const proposals = plan.proposals.filter((x) => x.ageBand === ageBand);
  const change = nextProposalClock(stored, proposals, ageBand, now);
  if (change.kind === 'keep') return { clock: stored, proposals, waiting, plan };
  if (change.kind === 'start') {
    const clock = await deps.store.startProposalClock(p.id, change.clock, change.replaces);
    return { clock, proposals, waiting, plan };
  }
  const stopped = { at: now.toISOString(), shown: [] };
  await deps.store.updateProposalClock(p.id, ageBand, change.since, { stopped });
  return { clock: stored && { ...stored, stopped }, proposals, waiting, plan };
}

/** `poolStep.timing.clock`: the band's clock, and this child's own deadline in the pool. */
export async function poolClock(
  deps: Dependencies,
  referral: Referral,
  timing: StepTiming,
  p: Partnership,
): Promise<StepClock> {
  const ageBand = referral.child.ageBand;
  // Before its first wait the child is not in the pool yet: it joins now, so that the planner counts it.
  await joinPool(deps, referral, p);
  const { clock, proposals, waiting, plan } = await bandProposalClock(deps, p, ageBand);
  const running = clock && !clock.stopped ? clock : undefined;
  const now = deps.clock.now().getTime();
  const mine = waiting.find((e) => e.referralId === referral.referralId);
  const maxPool = p.groups.grouping.maxPoolDays * DAY;
  return {
    owner: proposalOwner(p.id, ageBand),
    key: `proposal-${running?.since ?? 'none'}`,
    shared: true,
    since: running && Date.parse(running.since),
    deadlineAt: (mine ? Date.parse(mine.waitingSince) : now) + maxPool,
    lookAgainAt: now + POOL_LOOK_AGAIN_DAYS * DAY,
    recordedOn: [...new Set(proposals.flatMap((x) => x.members))],
    // The child's wait runs next, on what was read here.
    forWait: { ...poolViewOf(referral, plan) },
    async remind(n, newLink) {
      if (!running || !proposals.length) return;
      const coordinator = coordinatorOf(p);
      const { link, url } = await newLink(
        {
          // The link record names a waiting child, so that erasing that referral finds it.
          referralId: proposals[0]!.members[0]!,
          step: 'group-proposal',
          ageBand,
          recipient: coordinator,
          taskToken: '',
        },
        deps.config.linkTtlDays,
      );
      // The new link replaces the previous reminder's; it is closed when the proposal is answered.
      await deps.store.updateProposalClock(p.id, ageBand, running.since, { reminderLink: link.linkHash });
      if (running.reminderLink && running.reminderLink !== link.linkHash) {
        const previous = await deps.store.getLink(running.reminderLink);
        if (previous?.status === 'open') await deps.store.setLinkStatus(previous.linkHash, 'superseded');
      }
      await deps.email.send(
        renderEmail(
          coordinator.email,
          poolProposalReminder(ageBand, coordinator, {
            n,
            since: running.since,
            proposals,
            url,
            expiresAt: link.expiresAt,
            staffUrl: staffPoolUrl(deps.config.publicBaseUrl, ageBand),
          }),
          deps.config.publicBaseUrl,
        ),
      );
    },
    async escalate(targets) {
      if (!running) return;
      const oldest = waiting.map((e) => e.waitingSince).sort()[0] ?? new Date(now).toISOString();
      const reminders = timing.reminderDays.filter((d) => Date.parse(running.since) + d * DAY <= now).length;
      for (const to of targets)
        await deps.email.send(
          renderEmail(
            to.email,
            poolProposalOverdue(ageBand, to, {
              since: running.since,
              reminders,
              waiting: waiting.length,
              firstNoGroupAt: new Date(Date.parse(oldest) + maxPool).toISOString(),
              staffUrl: staffPoolUrl(deps.config.publicBaseUrl, ageBand),
              coordinator: p.coordinator,
            }),
            deps.config.publicBaseUrl,
          ),
        );
    },
    end: () => noGroupInTime(deps, referral, p),
  };
}

/**
 * The child's longest wait in the pool has passed: recorded, in words, on its timeline (the state machine
 * then closes the referral as no-group, and the social worker is told).
 */
export async function noGroupInTime(deps: Dependencies, referral: Referral, p: Partnership): Promise<void> {
  await audit(
    deps,
    {
      referralId: referral.referralId,
      actor: { role: 'system' },
      action: 'no-group-in-time',
      phase: 'group-assignment',
      detail: { ageBand: referral.child.ageBand, waitedDays: String(p.groups.grouping.maxPoolDays) },
    },
    'no-group-in-time',
  );
}

/**
 * The coordinator answered the band's proposal (confirmed a group, or chose to wait), from a link or the
 * inbox: the clock stops, remembering what the planner proposed when she answered (`shown`, read
 * before the answer changed the pool), and the last reminder's link is closed.
 */
export async function proposalAnswered(
  deps: Dependencies,
  ageBand: string,
  /** What the planner proposed when she answered (proposalPairs). */
  shown: string[],
  /** The band's clock, when the caller read it beside other work (else read here). */
  read?: Promise<ProposalClock | undefined>,
): Promise<void> {
  const p = await partnershipOf(deps, { partnershipId: deps.config.partnershipId });
  const at = deps.clock.now().toISOString();
  const stopped = { at, shown };
  const clock = await (read ?? deps.store.getProposalClock(p.id, ageBand));
  await Promise.all([
    clock
      ? deps.store.updateProposalClock(p.id, ageBand, clock.since, { stopped })
      : // Answered before any wait saw the proposal: a clock that starts stopped, so the same proposal
        // starts none (one started a moment ago by a wait is stopped instead).
        deps.store
          .startProposalClock(p.id, { ageBand, since: at, stopped })
          .then((started) =>
            started.since === at && started.stopped
              ? undefined
              : deps.store.updateProposalClock(p.id, ageBand, started.since, { stopped }),
          ),
    // The last reminder's link is closed, if nobody used it.
    clock?.reminderLink
      ? deps.store.setLinkStatus(clock.reminderLink, 'closed', { onlyIfOpen: true })
      : undefined,
  ]);
}
