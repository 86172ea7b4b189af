/** Errors with a workflow meaning. `name` is what Step Functions matches in Retry/Catch. */
import { WORKFLOW_ERRORS } from '../domain/steps';

export class TransientError extends Error {
  override name = WORKFLOW_ERRORS.transient;
}

export class InvalidTaskInputError extends Error {
  override name = 'Referral.InvalidTaskInput';
}

export class ReferralNotFoundError extends Error {
  override name = 'Referral.NotFound';
}

/** AWS SDK errors that a retry may fix: throttling, 5xx, network. */
export function isTransient(error: unknown): boolean {
  const e = error as { $retryable?: unknown; $fault?: string; name?: string; code?: string };
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable || e.$fault === 'server') return true;
  return ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'TimeoutError', 'ThrottlingException'].includes(
    String(e.code ?? e.name),
  );
}
