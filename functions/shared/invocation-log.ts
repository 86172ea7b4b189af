/**
 * One invocation of a handler, as the logs and metrics see it: its own log keys from start to end, a line
 * when a task starts and ends (with its outcome or error name), and its metrics flushed when it is over.
 */
import type { Context } from 'aws-lambda';
import type { Dependencies } from '../ports';
import { withLogKeys, type LogKeys } from './log-keys';

const REFERRAL_ID = /^R-[A-Za-z0-9]{2,16}-[A-Za-z0-9]{2,16}$/;
const GROUP_ID = /^g-[A-Za-z0-9-]{1,80}$/;

/** A referral id (`R-XXXX-XXXX`), or a group's (`g-…`): the key its lines carry; anything else, none. */
export function subjectKeys(id: unknown): LogKeys {
  if (typeof id !== 'string') return {};
  if (REFERRAL_ID.test(id)) return { referralId: id };
  return GROUP_ID.test(id) ? { groupId: id } : {};
}

/** Ids of this system (referral, group, execution ARN, step name): nothing else is copied into a line. */
const SAFE_ID = /^[A-Za-z0-9_:.\-/]{1,256}$/;

const safe = (value: unknown): string | undefined =>
  typeof value === 'string' && SAFE_ID.test(value) ? value : undefined;

/** The keys Powertools' `injectLambdaContext` would add, held per invocation (see `log-keys`). */
function contextKeys(context: Partial<Context> | undefined, coldStart: boolean): LogKeys {
  return {
    function_name: safe(context?.functionName),
    function_request_id: safe(context?.awsRequestId),
    cold_start: coldStart,
  };
}

/**
 * The keys of a workflow task, read from its input before validation (a task whose input fails
 * validation still logs them): the referral or group, the execution (`$$.Execution.Id`) and the step.
 */
export function taskKeys(event: unknown): LogKeys {
  const input = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  return {
    ...subjectKeys(input.referralId ?? input.groupId),
    executionId: safe(input.executionId),
    step: safe(input.step),
    op: safe(input.op),
  };
}

/** What a task answered, when it is a code (task outputs go to the execution history: never personal). */
function outcomeOf(result: unknown): string | undefined {
  if (typeof result === 'string') return safe(result);
  if (result && typeof result === 'object') {
    const { outcome, status } = result as Record<string, unknown>;
    return safe(outcome) ?? safe(status);
  }
  return undefined;
}

/**
 * The dependencies, or none when the function's configuration is missing: the handler itself answers that
 * (a task fails, a page still says "not found"); the wrapper must not turn it into another error.
 */
function available(deps: () => Dependencies): Dependencies | undefined {
  try {
    return deps();
  } catch {
    return undefined;
  }
}

/** Wraps a Lambda handler: the invocation's keys, start and end lines (`tasks` only), metrics flushed. */
export function loggedInvocation<E, R>(
  deps: () => Dependencies,
  keysOf: (event: E) => LogKeys,
  handler: (event: E, context: Context) => Promise<R>,
  { startAndEnd }: { startAndEnd: boolean },
): (event: E, context: Context) => Promise<R> {
  let coldStart = true;
  return (event, context) => {
    const keys = { ...contextKeys(context, coldStart), ...keysOf(event) };
    coldStart = false;
    return withLogKeys(keys, async () => {
      if (startAndEnd) available(deps)?.log.info('task started');
      try {
        const result = await handler(event, context);
        if (startAndEnd) available(deps)?.log.info('task finished', { outcome: outcomeOf(result) });
        return result;
      } catch (error) {
        if (startAndEnd)
          available(deps)?.log.error('task failed', { error: (error as Error)?.name ?? 'Error' });
        throw error;
      } finally {
        available(deps)?.metrics.flush();
      }
    });
  };
}
