/**
 * The keys every log line of one invocation carries (referral or group id, execution, step, request id).
 * Held per invocation in async-local storage, not on the shared logger: the local runtime runs many
 * invocations at once in one process, where keys appended to one logger would leak into another's lines.
 * An invocation starts with exactly its own keys, so nothing carries over from the previous one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogKeys = Record<string, string | number | boolean | undefined>;

const invocation = new AsyncLocalStorage<LogKeys>();

/** Runs one invocation with these keys (and only these) on every line it logs. */
export function withLogKeys<T>(keys: LogKeys, run: () => T): T {
  return invocation.run(defined(keys), run);
}

/** Adds keys learnt during the invocation (a link's referral, the step entered); outside one, nothing. */
export function appendLogKeys(keys: LogKeys): void {
  const current = invocation.getStore();
  if (current) Object.assign(current, defined(keys));
}

export function currentLogKeys(): LogKeys {
  return invocation.getStore() ?? {};
}

function defined(keys: LogKeys): LogKeys {
  return Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined));
}
