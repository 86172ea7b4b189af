/**
 * The small holiday module against the library it replaced (`date-holidays`, now a dev dependency for
 * this test only): the same days off, with the same names, on every day of 2024–2035; the same Easter
 * over four centuries.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isSwedishHoliday } from '../../functions/domain/schedule';
import { easterSunday, swedishDaysOff } from '../../functions/domain/swedish-holidays';

const sv = new Holidays('SE');
const en = new Holidays('SE', { languages: ['en'] });
/** What schedule.ts read from date-holidays: the `public` holidays and the `bank` eves. */
const daysOffOf = (calendar: Holidays, year: number) =>
  calendar
    .getHolidays(year)
    .filter((h) => h.type === 'public' || h.type === 'bank')
    .map((h) => ({ date: h.date.slice(0, 10), type: h.type, name: h.name }));

describe('Swedish public holidays and eves', () => {
  it('are the days date-holidays gives, on every day of 2024–2035', () => {
    let day = DateTime.fromISO('2024-01-01', { zone: 'utc' });
    const last = DateTime.fromISO('2035-12-31', { zone: 'utc' });
    const libraryDays = new Set<string>();
    for (let year = 2024; year <= 2035; year++) for (const h of daysOffOf(sv, year)) libraryDays.add(h.date);
    let checked = 0;
    let off = 0;
    while (day <= last) {
      const iso = day.toISODate()!;
      expect(isSwedishHoliday(iso), iso).toBe(libraryDays.has(iso));
      if (libraryDays.has(iso)) off++;
      checked++;
      day = day.plus({ days: 1 });
    }
    expect(checked).toBe(4383);
    expect(off).toBeGreaterThan(12 * 15); // 16 a year, fewer where two fall on one day
  });

  it('have the Swedish and English names and kinds date-holidays gives', () => {
    for (let year = 2024; year <= 2035; year++) {
      const ours = swedishDaysOff(year);
      const kind = (type: string) => (type === 'public' ? 'public holiday' : 'eve');
      const byDate = (a: { date: string; name: string }, b: { date: string; name: string }) =>
        a.date.localeCompare(b.date) || a.name.localeCompare(b.name);
      expect(
        ours.map((d) => ({ date: d.date, kind: d.kind, name: d.sv })).sort(byDate),
        String(year),
      ).toEqual(
        daysOffOf(sv, year)
          .map((h) => ({ date: h.date, kind: kind(h.type), name: h.name }))
          .sort(byDate),
      );
      expect(ours.map((d) => ({ date: d.date, name: d.en })).sort(byDate), String(year)).toEqual(
        daysOffOf(en, year)
          .map((h) => ({ date: h.date, name: h.name }))
          .sort(byDate),
      );
    }
  });

  it('count Easter Sunday as date-holidays does, 1900–2199', () => {
    for (let year = 1900; year < 2200; year++) {
      const easter = sv.getHolidays(year).find((h) => h.name === 'påskdagen')!;
      expect(easterSunday(year).toISOString().slice(0, 10), String(year)).toBe(easter.date.slice(0, 10));
    }
  });
});
