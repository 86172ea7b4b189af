import type { Logger } from '../ports';

/**
 * One JSON line per event. Callers pass ids and codes only; values that look like an identity number
 * or an email address are masked anyway, as a second line of defence.
 */
const IDENTITY_NUMBER = /\b(\d{6}|\d{8})[-+]?\d{4}\b/g;
const EMAIL = /[^\s@"]+@[^\s@"]+/g;

export function mask(value: string): string {
  return value.replace(IDENTITY_NUMBER, '[personnummer]').replace(EMAIL, '[e-post]');
}

export function createLogger(
  base: Record<string, string> = {},
  sink: (line: string) => void = console.log,
): Logger {
  const write = (level: string, message: string, fields: Record<string, unknown> = {}) => {
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) clean[k] = typeof v === 'string' ? mask(v) : v;
    sink(
      JSON.stringify({ level, time: new Date().toISOString(), message: mask(message), ...base, ...clean }),
    );
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
