/** The local runtime's reading of schedule expressions (infra/local/schedules.ts). */
import { describe, expect, it } from 'vitest';
import { nextOccurrence, parseScheduleExpression } from '../../infra/local/schedules';

const daily3 = parseScheduleExpression('cron(0 3 * * ? *)');
const next = (after: string) => nextOccurrence(daily3, 'Europe/Stockholm', new Date(after)).toISOString();

describe('local schedules', () => {
  it('finds the next 03:00 Stockholm time, in winter and in summer time', () => {
    expect(next('2027-01-15T01:59:00.000Z')).toBe('2027-01-15T02:00:00.000Z'); // 03:00 CET
    expect(next('2027-01-15T02:00:00.000Z')).toBe('2027-01-16T02:00:00.000Z'); // just run: tomorrow
    expect(next('2027-07-01T12:00:00.000Z')).toBe('2027-07-02T01:00:00.000Z'); // 03:00 CEST
    // Across the change to summer time (28 March 2027) and back (31 October 2027).
    expect(next('2027-03-27T02:30:00.000Z')).toBe('2027-03-28T01:00:00.000Z');
    expect(next('2027-10-30T02:00:00.000Z')).toBe('2027-10-31T02:00:00.000Z');
  });

  it('refuses the expressions it does not run, saying which', () => {
    for (const e of [
      'rate(1 day)',
      'cron(0 3 ? * MON *)',
      'cron(0/5 * * * ? *)',
      'cron(0 25 * * ? *)',
      'at(2027-01-01T00:00:00)',
    ])
      expect(() => parseScheduleExpression(e), e).toThrow(/daily schedules of the form cron/);
  });
});
