/**
 * The daily erasure sweep, invoked by its EventBridge Scheduler schedule (infra/stacks/stateless-stack.ts):
 * erases every referral whose retention period has passed. The schedule's event carries nothing it needs.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { dependenciesWith } from '../shared/dependencies';
import { loggedInvocation } from '../shared/invocation-log';
import { eraseDueReferrals, type SweepResult } from '../phases/closure/erasure-sweep';

/** The adapters of this function: the AWS ones it uses (infra/functions-catalog.ts). */
const dependencies = dependenciesWith({});

/** Time kept in hand when the sweep stops starting erasures: one erasure is a few dozen item writes. */
const RESERVE_MS = 20_000;

const sweep = middy<unknown, SweepResult, Error, Context>().handler(async (_event, context) => {
  const deps = dependencies();
  const result = await eraseDueReferrals(deps, {
    shouldStop: () => context.getRemainingTimeInMillis() < RESERVE_MS,
  });
  deps.log.info('erasure sweep', { ...result });
  // Reported as a failed invocation, so the function's error metric shows it; the failed ones stay due.
  if (result.failed > 0) throw new Error(`${result.failed} erasures failed; they stay due`);
  return result;
});

// Its lines carry the request id like every function's; the schedule's event names no referral.
export const handler = loggedInvocation(
  dependencies,
  () => ({}),
  (event: unknown, context: Context) => sweep(event, context),
  {
    startAndEnd: false,
  },
);
