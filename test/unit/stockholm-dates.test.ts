/**
 * The small Stockholm-date module against luxon, which it replaces in the referral form, the partnership
 * file check and the emails' dates: the same Stockholm date of a moment (across both DST changes), the
 * same valid dates, the same whole years of age (29 February included), the same written-out dates.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  isCalendarDate,
  isIsoCalendarDate,
  longDate,
  stockholmDate,
  wholeYears,
} from '../../functions/domain/stockholm-dates';

const ZONE = 'Europe/Stockholm';
/** Moments from 1990 to 2040, as milliseconds. */
const moment = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 11, 31) });
const day = fc
  .record({ year: fc.integer({ min: 1900, max: 2100 }), month: fc.integer({ min: 1, max: 12 }) })
  .chain(({ year, month }) =>
    fc.integer({ min: 1, max: DateTime.utc(year, month).daysInMonth! }).map((d) => ({ year, month, day: d })),
  );
const iso = ({ year, month, day: d }: { year: number; month: number; day: number }) =>
  DateTime.utc(year, month, d).toISODate()!;

describe('Stockholm dates without luxon', () => {
  it("give a moment's Stockholm date as luxon does", () => {
    fc.assert(
      fc.property(moment, (ms) => {
        expect(stockholmDate(new Date(ms))).toBe(DateTime.fromMillis(ms, { zone: ZONE }).toISODate());
      }),
      { numRuns: 2000 },
    );
  });

  it('give the Stockholm date on both sides of midnight and of the DST changes', () => {
    // 2026-03-29 02:00 → 03:00 and 2026-10-25 03:00 → 02:00 in Stockholm; midnight is 23:00 or 22:00 UTC.
    for (const at of [
      '2026-03-28T22:59:59Z',
      '2026-03-28T23:00:00Z',
      '2026-03-29T21:59:59Z',
      '2026-03-29T22:00:00Z',
      '2026-10-24T21:59:59Z',
      '2026-10-24T22:00:00Z',
      '2026-10-25T22:59:59Z',
      '2026-10-25T23:00:00Z',
      '2026-12-31T22:59:59Z',
      '2026-12-31T23:00:00Z',
    ])
      expect(stockholmDate(new Date(at)), at).toBe(DateTime.fromISO(at, { zone: ZONE }).toISODate());
    // A luxon DateTime is a moment too (callers that still have one).
    expect(stockholmDate(DateTime.fromISO('2026-03-28T23:30:00Z'))).toBe('2026-03-29');
  });

  it('accept the dates luxon accepts and refuse the others', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, d) => {
          const luxon = DateTime.fromObject({ year, month, day: d }, { zone: ZONE }).isValid;
          expect(isCalendarDate(year, month, d)).toBe(luxon);
          const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(isIsoCalendarDate(text), text).toBe(DateTime.fromISO(text).isValid);
        },
      ),
      { numRuns: 5000 },
    );
    for (const text of ['2024-02-29', '2023-02-29', '2100-02-29', '2000-02-29', '2026-04-31', '2026-4-30'])
      expect(isIsoCalendarDate(text), text).toBe(
        /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid,
      );
  });

  it('count whole years of age as luxon does, 29 February included', () => {
    const luxonAge = (birth: string, on: string) =>
      Math.floor(
        DateTime.fromISO(on, { zone: ZONE }).diff(DateTime.fromISO(birth, { zone: ZONE }), 'years').years,
      );
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [birth, on] = [iso(a), iso(b)].sort() as [string, string];
        expect(wholeYears(birth, on), `${birth} → ${on}`).toBe(luxonAge(birth, on));
      }),
      { numRuns: 5000 },
    );
    for (const [birth, on] of [
      ['2016-02-29', '2017-02-27'],
      ['2016-02-29', '2017-02-28'],
      ['2016-02-29', '2017-03-01'],
      ['2016-02-29', '2020-02-28'],
      ['2016-02-29', '2020-02-29'],
      ['2015-03-12', '2026-03-11'],
      ['2015-03-12', '2026-03-12'],
    ] as const)
      expect(wholeYears(birth, on), `${birth} → ${on}`).toBe(luxonAge(birth, on));
  });

  it('write a date out as luxon did, in Swedish and English', () => {
    const luxonLong = (text: string, lang: 'sv' | 'en') =>
      DateTime.fromISO(text, { zone: ZONE })
        .setLocale(lang === 'en' ? 'en-GB' : 'sv-SE')
        .toLocaleString(DateTime.DATE_FULL);
    fc.assert(
      fc.property(moment, fc.constantFrom('sv' as const, 'en' as const), (ms, lang) => {
        const at = new Date(ms).toISOString();
        expect(longDate(at, lang), at).toBe(luxonLong(at, lang));
        const date = at.slice(0, 10);
        expect(longDate(date, lang), date).toBe(luxonLong(date, lang));
        const local = at.slice(0, 19);
        expect(longDate(local, lang), local).toBe(luxonLong(local, lang));
      }),
      { numRuns: 2000 },
    );
    expect(longDate('2026-12-01', 'sv')).toBe('1 december 2026');
    expect(longDate('2026-12-01', 'en')).toBe('1 December 2026');
    // 23:30 UTC on 31 December is already New Year's Day in Stockholm.
    expect(longDate('2026-12-31T23:30:00.000Z', 'sv')).toBe('1 januari 2027');
  });
});
