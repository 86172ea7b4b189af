/**
 * Swedish public holidays (allmänna helgdagar) and the eves that are de facto days off (midsommarafton,
 * julafton, nyårsafton): the days group meetings are never planned on. Computed here, in a few lines,
 * instead of with `date-holidays`, which brings moment-timezone and astronomia (~1.4 MB of bundle and
 * ~130 ms of cold start) for a calendar that is simple arithmetic. The same days as `date-holidays`' SE
 * calendar, types `public` and `bank`, with its Swedish and English names: test/unit/swedish-holidays.test.ts
 * compares every day of 2024–2035 with it (it stays a dev dependency for that test only).
 */

export interface SwedishDayOff {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** A public holiday by law, or an eve that works as one (date-holidays calls these `bank`). */
  kind: 'public holiday' | 'eve';
  sv: string;
  en: string;
}

/** Calendar arithmetic on dates only: UTC midnight, so no time zone or daylight saving moves a day. */
const day = (year: number, month: number, date: number) => new Date(Date.UTC(year, month - 1, date));
const plusDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The first date on or after `from` that falls on `weekday` (0 = Sunday … 6 = Saturday). */
const onOrAfter = (from: Date, weekday: number) => plusDays(from, (weekday - from.getUTCDay() + 7) % 7);

/** Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return day(year, month, date);
}

const FRIDAY = 5;
const SATURDAY = 6;

/** The year's days off, in date order. National day is a public holiday from 2005 (the years used are later). */
export function swedishDaysOff(year: number): SwedishDayOff[] {
  const easter = easterSunday(year);
  const holiday = (d: Date, sv: string, en: string): SwedishDayOff => ({
    date: iso(d),
    kind: 'public holiday',
    sv,
    en,
  });
  const eve = (d: Date, sv: string, en: string): SwedishDayOff => ({ date: iso(d), kind: 'eve', sv, en });
  return [
    holiday(day(year, 1, 1), 'nyårsdagen', "New Year's Day"),
    holiday(day(year, 1, 6), 'trettondedag jul', 'Epiphany'),
    holiday(plusDays(easter, -2), 'långfredagen', 'Good Friday'),
    holiday(easter, 'påskdagen', 'Easter Sunday'),
    holiday(plusDays(easter, 1), 'annandag påsk', 'Easter Monday'),
    holiday(day(year, 5, 1), 'första maj', 'Labour Day'),
    holiday(plusDays(easter, 39), 'Kristi himmelsfärdsdag', 'Ascension Day'),
    holiday(day(year, 6, 6), 'nationaldagen', 'National Day'),
    holiday(plusDays(easter, 49), 'pingstdagen', 'Pentecost'),
    // Midsummer Eve is the Friday between 19 and 25 June; Midsummer Day the Saturday after it.
    eve(onOrAfter(day(year, 6, 19), FRIDAY), 'midsommarafton', 'Midsummer Eve'),
    holiday(onOrAfter(day(year, 6, 20), SATURDAY), 'midsommardagen', 'Midsummer Day'),
    // All Saints' Day is the Saturday between 31 October and 6 November.
    holiday(onOrAfter(day(year, 10, 31), SATURDAY), 'alla helgons dag', "All Saints' Day"),
    eve(day(year, 12, 24), 'julafton', 'Christmas Eve'),
    holiday(day(year, 12, 25), 'juldagen', 'Christmas Day'),
    holiday(day(year, 12, 26), 'annandag jul', 'Boxing Day'),
    eve(day(year, 12, 31), 'nyårsafton', "New Year's Eve"),
  ].sort((x, y) => x.date.localeCompare(y.date));
}
