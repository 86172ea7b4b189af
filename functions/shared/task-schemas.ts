/**
 * The input of each workflow task. Each schema is built on its first use and only where used: a function
 * bundles and builds the one its handler parses, not all seventeen, and none before its first invocation
 * (zod objects built at import add to every cold start; see bench/bundles.ts).
 */
import * as z from 'zod/mini';
import { GROUP_STEPS, TIMED_STEPS } from '../domain/partnership';
import { OUTCOMES } from '../domain/referral';

/** A schema built once, on the first call; `@__PURE__` lets the bundler drop the ones a function never uses. */
export type TaskSchema<S extends z.ZodMiniType> = () => S;
const lazy = <S extends z.ZodMiniType>(build: () => S): TaskSchema<S> => {
  let built: S | undefined;
  return () => (built ??= build());
};

const referralId = () => z.string().check(z.regex(/^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/));
const taskToken = () => z.string().check(z.minLength(1), z.maxLength(2048));
const custodian = () => z.int().check(z.minimum(1), z.maximum(2));

export const referralTask = /* @__PURE__ */ lazy(() => z.object({ referralId: referralId() }));
/** The follow-up: `start` sends the first questionnaire; `event` carries out the follow-up's event `index`. */
export const followUpTask = /* @__PURE__ */ lazy(() =>
  z.discriminatedUnion('op', [
    z.object({ referralId: referralId(), op: z.literal('start') }),
    z.object({
      referralId: referralId(),
      op: z.literal('event'),
      index: z.int().check(z.minimum(0), z.maximum(50)),
      startedAt: z.iso.datetime(),
    }),
  ]),
);
export const humanStepTask = /* @__PURE__ */ lazy(() =>
  z.object({ referralId: referralId(), taskToken: taskToken() }),
);
/**
 * The wait in the pool: the band's clock, in the state before, passes on what it read of the pool
 * (pool-clock.ts `PoolView`); an execution started before it did carries none.
 */
export const poolWaitTask = /* @__PURE__ */ lazy(() =>
  z.object({
    referralId: referralId(),
    taskToken: taskToken(),
    pool: z.optional(
      z.object({
        waitingSince: z.nullable(z.iso.datetime()),
        claimed: z.boolean(),
        inBand: z.int().check(z.minimum(0)),
        proposal: z.nullable(
          z.object({
            format: z.enum(['weekly', 'weekend']),
            ageBand: z.string().check(z.minLength(1), z.maxLength(20)),
            district: z.optional(z.string().check(z.maxLength(100))),
            members: z.array(referralId()).check(z.minLength(1), z.maxLength(50)),
          }),
        ),
      }),
    ),
  }),
);
export const consentStepTask = /* @__PURE__ */ lazy(() =>
  z.object({ referralId: referralId(), taskToken: taskToken(), custodian: custodian() }),
);
export const consentClockTask = /* @__PURE__ */ lazy(() =>
  z.object({ referralId: referralId(), custodian: custodian(), op: z.enum(['schedule', 'elapsed']) }),
);
export const stepClockTask = /* @__PURE__ */ lazy(() =>
  z.object({
    referralId: referralId(),
    step: z.enum(TIMED_STEPS),
    op: z.enum(['schedule', 'elapsed']),
  }),
);
export const closeTask = /* @__PURE__ */ lazy(() =>
  z.object({ referralId: referralId(), outcome: z.enum(OUTCOMES) }),
);
export const failureTask = /* @__PURE__ */ lazy(() =>
  z.object({ referralId: referralId(), error: z._default(z.string().check(z.maxLength(256)), 'Unknown') }),
);

const groupId = () => z.string().check(z.regex(/^g-[0-9]{1,2}-[0-9]{1,2}-[0-9a-f]{6}$/));
const meeting = () => z.int().check(z.minimum(1), z.maximum(20));
export const groupTask = /* @__PURE__ */ lazy(() => z.object({ groupId: groupId() }));
/** Scheduling; a retry at the meetings (ResumeSchedule) asks for the meetings from the one that failed. */
export const groupScheduleTask = /* @__PURE__ */ lazy(() =>
  z.object({ groupId: groupId(), fromMeeting: z.optional(meeting()) }),
);
/** A confirmed group's first step: its chosen children placed (PlaceMembers). */
export const groupPlacementTask = /* @__PURE__ */ lazy(() => z.object({ groupId: groupId() }));
export const groupNotifyTask = /* @__PURE__ */ lazy(() =>
  z.object({ groupId: groupId(), op: z.literal('reminder'), meeting: meeting() }),
);
export const groupAttendanceTask = /* @__PURE__ */ lazy(() =>
  z.object({ groupId: groupId(), meeting: meeting(), taskToken: taskToken() }),
);
export const groupAttendanceClockTask = /* @__PURE__ */ lazy(() =>
  z.object({ groupId: groupId(), meeting: meeting(), op: z.enum(['schedule', 'elapsed']) }),
);
/** A failed step, with the error as Step Functions caught it (for a meeting, its Cause is the meeting's index). */
export const groupFailureTask = /* @__PURE__ */ lazy(() =>
  z.object({
    groupId: groupId(),
    step: z.enum(GROUP_STEPS),
    error: z.pipe(
      z._default(z.string(), 'Unknown'),
      z.transform((e) => e.slice(0, 256)),
    ),
    // Step Functions' Cause of a Lambda error is its whole error document: only a meeting index is kept.
    cause: z.pipe(
      z.optional(z.string()),
      z.transform((c) => (c && /^[0-9]{1,2}$/.test(c) ? Number(c) : undefined)),
    ),
  }),
);
