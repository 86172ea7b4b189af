import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../ports';
import { currentLogKeys } from '../shared/log-keys';

/**
 * Powertools Logger behind the `log` port: one JSON line per event, with the invocation's keys
 * (`currentLogKeys`: referral or group id, execution, step, request id). Callers pass ids and codes only;
 * any string that looks like an identity number or an email address is masked anyway, as a second line
 * of defence, wherever it sits in the line (message, field, error message or stack).
 */
const IDENTITY_NUMBER = /\b(\d{6}|\d{8})[-+]?\d{4}\b/g;
const EMAIL = /[^\s@"]+@[^\s@"]+/g;

export function mask(value: string): string {
  return value.replace(IDENTITY_NUMBER, '[personnummer]').replace(EMAIL, '[e-post]');
}

/**
 * Keys whose values the system makes itself, never from a person: an execution's ARN holds the 12-digit
 * account id, which the identity-number pattern would otherwise take for one.
 */
const SYSTEM_IDS = new Set(['executionId', 'function_arn', 'xray_trace_id']);

const masking = (key: string, value: unknown) =>
  typeof value === 'string' && !SYSTEM_IDS.has(key) ? mask(value) : value;

/** Where the lines go when not to standard output (the local runtime's log, a test's capture). */
export type LogSink = (line: string) => void;

/**
 * Powertools prints through a private console of its own (stdout in Lambda, where CloudWatch takes it).
 * The local runtime and tests give a sink instead: every level goes to it as the same JSON line.
 */
export function printTo(utility: object, sink: LogSink): void {
  const write = (line: unknown) => sink(String(line));
  Object.assign(utility, {
    console: { log: write, info: write, warn: write, error: write, debug: write, trace: write },
  });
}

export function createPowertoolsLogger(serviceName: string, sink?: LogSink): PowertoolsLogger {
  const logger = new PowertoolsLogger({ serviceName, jsonReplacerFn: masking });
  if (sink) printTo(logger, sink);
  return logger;
}

export function createLogger(base: Record<string, string> = {}, sink?: LogSink): Logger {
  const { service, ...keys } = base;
  const logger = createPowertoolsLogger(service ?? 'bris-referrals', sink);
  if (Object.keys(keys).length) logger.appendPersistentKeys(keys);
  const fieldsOf = (fields: Record<string, unknown> = {}) => ({
    ...currentLogKeys(),
    ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
  });
  return {
    info: (m, f) => logger.info(m, fieldsOf(f)),
    warn: (m, f) => logger.warn(m, fieldsOf(f)),
    error: (m, f) => logger.error(m, fieldsOf(f)),
  };
}
