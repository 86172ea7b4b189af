import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ageOn, parseIdentityNumber } from '../../functions/domain/identity-number';

const today = DateTime.fromISO('2026-11-23', { zone: 'Europe/Stockholm' });

describe('parseIdentityNumber', () => {
  it('accepts a valid 12-digit number with or without dash', () => {
    expect(parseIdentityNumber('20150312-1236', today)).toEqual({
      normalized: '201503121236',
      birthDate: '2015-03-12',
    });
    expect(parseIdentityNumber('201503121236', today)?.birthDate).toBe('2015-03-12');
  });

  it('resolves the century of a 10-digit number from today', () => {
    expect(parseIdentityNumber('150312-1236', today)?.birthDate).toBe('2015-03-12');
  });

  it('refuses a wrong check digit, an impossible date and a future date', () => {
    expect(parseIdentityNumber('20150312-1238', today)).toBeUndefined();
    expect(parseIdentityNumber('20150231-1234', today)).toBeUndefined();
    expect(parseIdentityNumber('20300312-1237', today)).toBeUndefined();
    expect(parseIdentityNumber('hello', today)).toBeUndefined();
  });

  it('accepts a coordination number (day + 60)', () => {
    expect(parseIdentityNumber('20150372-1233', today)?.birthDate).toBe('2015-03-12');
  });
});

describe('ageOn', () => {
  it('counts whole years in Stockholm time', () => {
    expect(ageOn('2015-11-23', today)).toBe(11);
    expect(ageOn('2015-11-24', today)).toBe(10);
  });
});
