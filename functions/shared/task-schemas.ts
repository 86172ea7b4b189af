import * as z from 'zod';
import { GROUP_STEPS, TIMED_STEPS } from '../domain/partnership';
import { OUTCOMES } from '../domain/referral';

const referralId = z.string().regex(/^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

export const referralTask = z.object({ referralId });
/** The follow-up: `start` sends the first questionnaire; `event` carries out the follow-up's event `index`. */
export const followUpTask = z.discriminatedUnion('op', [
  z.object({ referralId, op: z.literal('start') }),
  z.object({
    referralId,
    op: z.literal('event'),
    index: z.number().int().min(0).max(50),
    startedAt: z.iso.datetime(),
  }),
]);
export const humanStepTask = z.object({ referralId, taskToken: z.string().min(1).max(2048) });
const custodian = z.number().int().min(1).max(2);
export const consentStepTask = humanStepTask.extend({ custodian });
export const consentClockTask = z.object({ referralId, custodian, op: z.enum(['schedule', 'elapsed']) });
export const stepClockTask = z.object({
  referralId,
  step: z.enum(TIMED_STEPS),
  op: z.enum(['schedule', 'elapsed']),
});
export const closeTask = z.object({ referralId, outcome: z.enum(OUTCOMES) });
export const failureTask = z.object({ referralId, error: z.string().max(256).default('Unknown') });

const groupId = z.string().regex(/^g-[0-9]{1,2}-[0-9]{1,2}-[0-9a-f]{6}$/);
const meeting = z.number().int().min(1).max(20);
export const groupTask = z.object({ groupId });
/** Scheduling; a retry at the meetings (ResumeSchedule) asks for the meetings from the one that failed. */
export const groupScheduleTask = z.object({ groupId, fromMeeting: meeting.optional() });
export const groupNotifyTask = z.object({ groupId, op: z.literal('reminder'), meeting });
export const groupAttendanceTask = z.object({ groupId, meeting, taskToken: z.string().min(1).max(2048) });
export const groupAttendanceClockTask = z.object({ groupId, meeting, op: z.enum(['schedule', 'elapsed']) });
/** A failed step, with the error as Step Functions caught it (for a meeting, its Cause is the meeting's index). */
export const groupFailureTask = z.object({
  groupId,
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
});
