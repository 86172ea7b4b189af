import { describe, expect, it } from 'vitest';
import { SIGN_IN_EMAIL_LIMITS, sendWindows } from '../../functions/domain/send-limits';

describe('send windows', () => {
  it('a request counts in one window per limit, each ending where its length divides time', () => {
    const at = new Date('2027-03-01T08:14:59.999Z');
    const [quarter, day] = sendWindows('sign-in', 'abc', at, SIGN_IN_EMAIL_LIMITS);
    expect(quarter).toMatchObject({ expiresAt: '2027-03-01T08:15:00.000Z', limit: { max: 3 } });
    expect(day).toMatchObject({ expiresAt: '2027-03-02T00:00:00.000Z', limit: { max: 10 } });
    // The next instant is a new quarter of an hour, but the same day.
    const [nextQuarter, sameDay] = sendWindows(
      'sign-in',
      'abc',
      new Date(at.getTime() + 1),
      SIGN_IN_EMAIL_LIMITS,
    );
    expect(nextQuarter!.bucket).not.toBe(quarter!.bucket);
    expect(sameDay!.bucket).toBe(day!.bucket);
    // Another address, another count.
    expect(sendWindows('sign-in', 'def', at, SIGN_IN_EMAIL_LIMITS)[0]!.bucket).not.toBe(quarter!.bucket);
  });
});
