/**
 * The input of each workflow task. Each schema is built on its first use and only where used: a function
 * bundles and builds the one its handler parses, not all seventeen, and none before its first invocation
 * (zod objects built at import add to every cold start; see bench/bundles.ts).
 */
import * as z from 'zod';
import { GROUP_STEPS, TIMED_STEPS } from '../domain/partnership';
import { OUTCOMES } from '../domain/referral';

/** A schema built once, on the first call; `@__PURE__` lets the bundler drop the ones a function never uses. */
export type TaskSchema<S extends z.ZodType> = () => S;
const lazy = <S extends z.ZodType>(build: () => S): TaskSchema<S> => {
  let built: S | undefined;
  return () => (built ??= build());
};

const referralId = () => z.string().regex(/^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
const taskToken = () => z.string().min(1).max(2048);
const custodian = () => z.number().int().min(1).max(2);

export const referralTask = /* @__PURE__ */ lazy(() => z.object({ referralId: referralId() }));
/** The follow-up: `start` sends the first questionnaire; `event` carries out the follow-up's event `index`. */
export const followUpTask = /* @__PURE__ */ lazy(() =>
  z.discriminatedUnion('op', [
    z.object({ referralId: referralId(), op: z.literal('start') }),
    z.object({
      referralId: referralId(),
      op: z.literal('event'),
      index: z.number().int().min(0).max(50),
      startedAt: z.iso.datetime(),
    }),
  ]),
);
export const humanStepTask = /* @__PURE__ */ lazy(() =>
  z.object({ referralId: referralId(), taskToken: taskToken() }),
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
  z.object({ referralId: referralId(), error: z.string().max(256).default('Unknown') }),
);

const groupId = () => z.string().regex(/^g-[0-9]{1,2}-[0-9]{1,2}-[0-9a-f]{6}$/);
const meeting = () => z.number().int().min(1).max(20);
export const groupTask = /* @__PURE__ */ lazy(() => z.object({ groupId: groupId() }));
/** Scheduling; a retry at the meetings (ResumeSchedule) asks for the meetings from the one that failed. */
export const groupScheduleTask = /* @__PURE__ */ lazy(() =>
  z.object({ groupId: groupId(), fromMeeting: meeting().optional() }),
);
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
    error: z
      .string()
      .default('Unknown')
      .transform((e) => e.slice(0, 256)),
    // Step Functions' Cause of a Lambda error is its whole error document: only a meeting index is kept.
    cause: z
      .string()
      .optional()
      .transform((c) => (c && /^[0-9]{1,2}$/.test(c) ? Number(c) : undefined)),
  }),
);
