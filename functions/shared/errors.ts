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

/**
 * Error names AWS services use for throttling and exceeded request rates (the SDK's own list of throttling
 * codes). Most are not marked `$retryable` on the error object, e.g. SESv2's TooManyRequestsException
 * (sending rate exceeded), so they are matched by name.
 */
export const THROTTLING_ERROR_NAMES: readonly string[] = [
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceededException',
  'LimitExceededException',
  'BandwidthLimitExceeded',
  'PriorThrottlingException',
  'SlowDown',
  'TransactionInProgressException',
];

const NETWORK_ERROR_CODES = ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'TimeoutError'];

/** AWS SDK errors that a retry may fix: throttling (by name, or HTTP 429), 5xx, network. */
export function isTransient(error: unknown): boolean {
  const e = error as {
    $retryable?: unknown;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
    name?: string;
    code?: string;
  };
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable || e.$fault === 'server') return true;
  if (e.$metadata?.httpStatusCode === 429) return true;
  const name = String(e.code ?? e.name);
  return NETWORK_ERROR_CODES.includes(name) || THROTTLING_ERROR_NAMES.includes(name);
}
