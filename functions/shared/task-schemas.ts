import { z } from 'zod';
import { OUTCOMES } from '../domain/referral';

const referralId = z.string().regex(/^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

export const referralTask = z.object({ referralId });
export const humanStepTask = z.object({ referralId, taskToken: z.string().min(1).max(2048) });
const custodian = z.number().int().min(1).max(2);
export const consentStepTask = humanStepTask.extend({ custodian });
export const consentClockTask = z.object({ referralId, custodian, op: z.enum(['schedule', 'elapsed']) });
export const closeTask = z.object({ referralId, outcome: z.enum(OUTCOMES) });
export const failureTask = z.object({ referralId, error: z.string().max(256).default('Unknown') });
