/**
 * The small Stockholm-date module against luxon, which it replaces in the referral form, the partnership
 * file check and the emails' dates: the same Stockholm date of a moment (across both DST changes), the
 * same valid dates, the same whole years of age (29 February included), the same written-out dates;
 * and, for the links function's groups, home visits, follow-up and closure, the same moments of local
 * times (in the DST gap and the doubled hour too), the same days and weekdays, the same month arithmetic
 * and the same written-out times; and, for the staff pages, the same dates, times and months written out.
 */
import fc from 'fast-check';
import { DateTime, Settings } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addDays,
  clockTime,
  isCalendarDate,
  isIsoCalendarDate,
  isoWeekday,
  longDate,
  mondayOf,
  monthsLater,
  shortDateTime,
  shortMonthYear,
  stockholmDate,
  stockholmDateOf,
  stockholmMoment,
  stockholmTimeOn,
  weekdayDate,
  weekdayOnOrAfter,
  wholeYears,
} from '../../functions/domain/stockholm-dates';

const ZONE = 'Europe/Stockholm';
const DAY = 24 * 3600 * 1000;
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

const pad2 = (n: number) => String(n).padStart(2, '0');
/** A Stockholm wall-clock minute as `YYYY-MM-DDTHH:mm`. */
const localMinute = (date: string, minuteOfDay: number) =>
  `${date}T${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;

/** The DST change days of 2024–2035: the last Sundays of March and October. */
const DST_DAYS = Array.from({ length: 12 }, (_, i) => 2024 + i).flatMap((year) =>
  [3, 10].map((month) => {
    const last = DateTime.utc(year, month).endOf('month');
    return last.minus({ days: last.weekday % 7 }).toISODate()!;
  }),
);
/** Moments of 2024–2035, as milliseconds. */
const moment2024 = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2035, 11, 31, 23, 59, 59, 999) });
/** A calendar date of 2024–2035, often a DST change day or one next to it. */
const date2024 = fc.oneof(
  moment2024.map((ms) => new Date(ms).toISOString().slice(0, 10)),
  fc
    .tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -1, max: 1 }))
    .map(([d, shift]) => DateTime.fromISO(d).plus({ days: shift }).toISODate()!),
);
/** A minute of the day, often in the night of a DST change (00:30–04:00, the switch at 02:00/03:00). */
const minuteOfDay = fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 30, max: 240 }));
/** What the process's clock says while luxon guesses an offset: a winter and a summer "now". */
const nowInWinterOrSummer = fc.constantFrom(Date.UTC(2026, 11, 1, 11), Date.UTC(2026, 6, 1, 11));

describe('Stockholm times without luxon', () => {
  const luxonNow = Settings.now;
  afterEach(() => {
    Settings.now = luxonNow;
  });

  it('read a Stockholm local time to the moment luxon reads, in the DST gap and the doubled hour too', () => {
    fc.assert(
      fc.property(date2024, minuteOfDay, nowInWinterOrSummer, (date, minute, now) => {
        Settings.now = () => now;
        const local = localMinute(date, minute);
        const luxon = DateTime.fromISO(local, { zone: ZONE });
        expect(stockholmMoment(local, now), local).toBe(luxon.toMillis());
        expect(new Date(stockholmMoment(local, now)!).toISOString()).toBe(luxon.toUTC().toISO());
      }),
      { numRuns: 5000 },
    );
    // The gap moves on by an hour; the doubled hour is read with the offset of "now" (luxon's guess).
    const summer = Date.UTC(2026, 6, 1);
    const winter = Date.UTC(2026, 11, 1);
    expect(new Date(stockholmMoment('2026-03-29T02:30', winter)!).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(new Date(stockholmMoment('2026-10-25T02:30', summer)!).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(new Date(stockholmMoment('2026-10-25T02:30', winter)!).toISOString()).toBe(
      '2026-10-25T01:30:00.000Z',
    );
  });

  it('accept the local times luxon accepts (24:00 too) and refuse the others', () => {
    const field = (n: number, width = 2) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.constantFrom(0, 1, 30, 59, 60, 99),
        (year, month, d, hour, minute) => {
          const text = `${field(year, 4)}-${field(month)}-${field(d)}T${field(hour)}:${field(minute)}`;
          const luxon = DateTime.fromISO(text, { zone: ZONE });
          expect(stockholmMoment(text) !== undefined, text).toBe(luxon.isValid);
          if (luxon.isValid && year >= 1900) expect(stockholmMoment(text), text).toBe(luxon.toMillis());
        },
      ),
      { numRuns: 5000 },
    );
    expect(new Date(stockholmMoment('2027-03-09T24:00')!).toISOString()).toBe('2027-03-09T23:00:00.000Z');
    for (const text of ['2027-03-09 17:00', '2027-3-09T17:00', '2027-03-09T1:00', '2027-03-09Z', 'x'])
      expect(stockholmMoment(text), text).toBeUndefined();
  });

  it('read moments written with Z or an offset as luxon does, and give their Stockholm date', () => {
    fc.assert(
      fc.property(moment2024, fc.constantFrom('Z', '+01:00', '-05:30', '+02:00'), (ms, offset) => {
        const utc = new Date(ms).toISOString();
        const text = offset === 'Z' ? utc : utc.replace('Z', offset);
        const luxon = DateTime.fromISO(text, { zone: ZONE });
        expect(stockholmMoment(text), text).toBe(luxon.toMillis());
        expect(stockholmDateOf(text), text).toBe(luxon.toISODate());
        expect(stockholmDateOf(utc.slice(0, 10))).toBe(utc.slice(0, 10));
      }),
      { numRuns: 3000 },
    );
    expect(stockholmDateOf('2026-12-31T23:30:00.000Z')).toBe('2027-01-01');
    expect(stockholmDateOf('not a time')).toBeUndefined();
  });

  it('count days, weekdays and weeks as luxon does', () => {
    fc.assert(
      fc.property(
        date2024,
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: 1, max: 7 }),
        (date, n, weekday) => {
          const luxon = DateTime.fromISO(date, { zone: ZONE });
          expect(addDays(date, n), `${date} + ${n}`).toBe(luxon.plus({ days: n }).toISODate());
          expect(addDays(date, 7 * n), `${date} + ${n} weeks`).toBe(luxon.plus({ weeks: n }).toISODate());
          expect(isoWeekday(date), date).toBe(luxon.weekday);
          expect(weekdayOnOrAfter(date, weekday), `${date} ${weekday}`).toBe(
            luxon.plus({ days: (weekday - luxon.weekday + 7) % 7 }).toISODate(),
          );
          expect(mondayOf(date), date).toBe(luxon.startOf('week').toISODate());
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('place a time of day on a Stockholm date as the schedule did with luxon, across DST', () => {
    fc.assert(
      fc.property(date2024, minuteOfDay, fc.integer({ min: 0, max: 60 }), (date, minute, weeks) => {
        const time = localMinute(date, minute).slice(11);
        const [h, m] = time.split(':').map(Number) as [number, number];
        // As the schedule did: the day's midnight, some weeks on, set to the time.
        const start = DateTime.fromISO(date, { zone: ZONE }).startOf('day');
        const later = addDays(date, 7 * weeks);
        for (const [day, on] of [
          [start, date],
          [start.plus({ weeks }), later],
        ] as const)
          expect(stockholmTimeOn(on, time), `${on} ${time}`).toBe(
            day.set({ hour: h, minute: m, second: 0, millisecond: 0 }).toUTC().toISO(),
          );
      }),
      { numRuns: 5000 },
    );
    expect(stockholmTimeOn('2026-03-29', '02:30')).toBe('2026-03-29T01:30:00.000Z');
    expect(stockholmTimeOn('2026-10-25', '02:30')).toBe('2026-10-25T00:30:00.000Z');
    expect(stockholmTimeOn('2026-10-26', '17:00')).toBe('2026-10-26T16:00:00.000Z');
  });

  it('add months as luxon did to a moment read without a zone, in UTC and in a zone with DST', () => {
    const monthEnds = fc
      .tuple(
        fc.integer({ min: 2024, max: 2035 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 28, max: 31 }),
      )
      .filter(([y, mo, d]) => isCalendarDate(y, mo, d))
      .chain(([y, mo, d]) => fc.integer({ min: 0, max: DAY - 1 }).map((t) => Date.UTC(y, mo - 1, d) + t));
    const property = fc.property(
      fc.oneof(moment2024, monthEnds),
      fc.integer({ min: 0, max: 120 }),
      (ms, months) => {
        expect(monthsLater(ms, months), `${new Date(ms).toISOString()} + ${months}`).toBe(
          DateTime.fromMillis(ms).plus({ months }).toMillis(),
        );
      },
    );
    const tz = process.env.TZ;
    try {
      for (const zone of ['UTC', 'Europe/Stockholm', 'America/New_York']) {
        process.env.TZ = zone;
        // The zone took effect (it does not in every kind of worker).
        expect(new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset()).toBe(
          { UTC: 0, 'Europe/Stockholm': -120, 'America/New_York': 240 }[zone],
        );
        fc.assert(property, { numRuns: 2000 });
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    process.env.TZ = 'UTC';
    try {
      expect(new Date(monthsLater(Date.parse('2027-01-31T10:00:00.000Z'), 1)).toISOString()).toBe(
        '2027-02-28T10:00:00.000Z',
      );
      expect(new Date(monthsLater(Date.parse('2028-01-31T10:00:00.000Z'), 1)).toISOString()).toBe(
        '2028-02-29T10:00:00.000Z',
      );
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('write out times and weekdays as luxon did, in Swedish and English', () => {
    const sv = (lang: 'sv' | 'en') => (lang === 'en' ? 'en-GB' : 'sv-SE');
    fc.assert(
      fc.property(
        fc.oneof(
          moment2024.map((ms) => new Date(ms).toISOString()),
          fc
            .tuple(date2024, minuteOfDay)
            .map(([d, m]) => DateTime.fromISO(localMinute(d, m), { zone: ZONE }).toUTC().toISO()!),
          date2024,
        ),
        fc.constantFrom('sv' as const, 'en' as const),
        (iso, lang) => {
          const luxon = DateTime.fromISO(iso, { zone: ZONE }).setLocale(sv(lang));
          expect(clockTime(iso), iso).toBe(luxon.toFormat('HH:mm'));
          expect(weekdayDate(iso, lang), iso).toBe(luxon.toFormat('cccc d LLLL yyyy'));
          expect(weekdayDate(iso, lang, false), iso).toBe(luxon.toFormat('cccc d LLLL'));
        },
      ),
      { numRuns: 3000 },
    );
    expect(weekdayDate('2026-12-05T09:00:00.000Z', 'sv')).toBe('lördag 5 december 2026');
    expect(weekdayDate('2026-12-05T09:00:00.000Z', 'en')).toBe('Saturday 5 December 2026');
    expect(clockTime('2026-12-05T09:00:00.000Z')).toBe('10:00');
  });
});

describe("the staff pages' dates without luxon", () => {
  const locale = (lang: 'sv' | 'en') => (lang === 'en' ? 'en-GB' : 'sv-SE');
  const lang = fc.constantFrom('sv' as const, 'en' as const);

  it('write a moment as the staff pages did with luxon, in Swedish and English, across DST', () => {
    // As language.ts did: the ISO read in Stockholm, formatted in the language's locale.
    const luxonDateTime = (iso: string, l: 'sv' | 'en') => {
      const at = DateTime.fromISO(iso, { zone: ZONE }).setLocale(locale(l));
      return at.toFormat(l === 'en' ? 'd LLL yyyy, HH:mm' : 'yyyy-LL-dd HH:mm');
    };
    fc.assert(
      fc.property(
        fc.oneof(
          moment2024.map((ms) => new Date(ms).toISOString()),
          fc
            .tuple(date2024, minuteOfDay)
            .map(([d, m]) => DateTime.fromISO(localMinute(d, m), { zone: ZONE }).toUTC().toISO()!),
          fc.tuple(date2024, minuteOfDay).map(([d, m]) => localMinute(d, m)),
          date2024,
        ),
        lang,
        (iso, l) => {
          expect(shortDateTime(iso, l), iso).toBe(luxonDateTime(iso, l));
        },
      ),
      { numRuns: 3000 },
    );
    for (const month of Array.from({ length: 12 }, (_, i) => i + 1)) {
      const iso = `2026-${pad2(month)}-15T09:05:00.000Z`;
      for (const l of ['sv', 'en'] as const) expect(shortDateTime(iso, l), iso).toBe(luxonDateTime(iso, l));
    }
    expect(shortDateTime('2026-12-05T13:05:00.000Z', 'sv')).toBe('2026-12-05 14:05');
    expect(shortDateTime('2026-12-05T13:05:00.000Z', 'en')).toBe('5 Dec 2026, 14:05');
    expect(shortDateTime('not a time', 'en')).toBe(luxonDateTime('not a time', 'en'));
  });

  it('write a month as the report page did with luxon, in Swedish and English', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        lang,
        (year, month, l) => {
          const text = `${String(year).padStart(4, '0')}-${pad2(month)}`;
          expect(shortMonthYear(text, l), text).toBe(
            DateTime.fromISO(text, { zone: ZONE }).setLocale(locale(l)).toFormat('LLL yyyy'),
          );
        },
      ),
      { numRuns: 2000 },
    );
    expect(shortMonthYear('2026-03', 'sv')).toBe('mars 2026');
    expect(shortMonthYear('2026-03', 'en')).toBe('Mar 2026');
  });
});
