/** A form submission's idempotency key: the first referral to claim it holds it until its TTL. */
import * as z from 'zod/mini';
import { epochSeconds, SUBMISSION_TTL_SECONDS, TIME_TO_LIVE_ATTRIBUTE } from '../../adapters/time-to-live';
import type { ClaimResult } from '../../ports';
import { deleteIf, get, putIfAbsent, reader, type Table } from '../io';
import { key } from '../table';

const submissionSchema = () => z.looseObject({ referralId: z.string(), at: z.string() });
const readSubmission = reader<z.infer<ReturnType<typeof submissionSchema>>>('submission', submissionSchema);

export async function claimSubmission(
  t: Table,
  idempotencyKey: string,
  referralId: string,
  at: string,
): Promise<ClaimResult> {
  if (
    await putIfAbsent(t, {
      ...key.submission(idempotencyKey),
      entity: 'submission',
      referralId,
      at,
      [TIME_TO_LIVE_ATTRIBUTE]: epochSeconds(at, SUBMISSION_TTL_SECONDS),
    })
  )
    return { claimed: true };
  const existing = await get(t, key.submission(idempotencyKey));
  return { claimed: false, holder: existing ? readSubmission(existing).referralId : '' };
}

export async function releaseSubmission(t: Table, idempotencyKey: string, referralId: string): Promise<void> {
  await deleteIf(t, key.submission(idempotencyKey), 'referralId', referralId);
}
