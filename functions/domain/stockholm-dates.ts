/**
 * Stockholm calendar dates without luxon: today's date, whether a date exists, whole years of age, and a
 * date written out. Enough for the referral form and the emails' dates; luxon (~70 KB in a bundle,
 * ~5 ms of a cold start) stays where dates are computed with times, durations or zones. Each function is
 * checked against luxon over many dates in test/unit/stockholm-dates.test.ts.
 */
import { ZONE } from './time-zone';

/** A moment: a Date, or anything that gives one (a luxon DateTime from older callers). */
export type Instant = Date | { toJSDate(): Date };

/** A calendar date `YYYY-MM-DD`, or a moment whose Stockholm date is meant. */
export type DateOrInstant = string | Instant;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Formatters are built on first use: building one with a time zone loads ICU's zone data (~1 ms). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${locale}|${JSON.stringify(options)}`;
  let built = formatters.get(id);
  if (!built) formatters.set(id, (built = new Intl.DateTimeFormat(locale, options)));
  return built;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The Stockholm calendar date of a moment, `YYYY-MM-DD`. */
export function stockholmDate(at: Instant): string {
  const date = at instanceof Date ? at : at.toJSDate();
  const parts = formatter('en-US', {
    timeZone: ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  return `${pad(part('year'), 4)}-${pad(part('month'))}-${pad(part('day'))}`;
}

/** The calendar date meant: a `YYYY-MM-DD` as given, a moment as its Stockholm date. */
export function calendarDate(value: DateOrInstant): string {
  return typeof value === 'string' ? value : stockholmDate(value);
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether year-month-day is a date of the (proleptic Gregorian) calendar; years 1–9999. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Whether `text` is a `YYYY-MM-DD` that exists. */
export function isIsoCalendarDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  return !!m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** `YYYY-MM-DD` of a calendar date (see isCalendarDate). */
export function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/**
 * Whole years from `birthDate` to `on` (both `YYYY-MM-DD`): a birthday on 29 February is reached on
 * 28 February in a common year, as adding years to a date does in luxon, which this replaces.
 */
export function wholeYears(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  const years = oy - by;
  // The birthday in the year of `on`, moved back to the month's last day when that month is shorter.
  const birthday = isoDate(oy, bm, Math.min(bd, daysInMonth(oy, bm)));
  return isoDate(oy, om, od) >= birthday ? years : years - 1;
}

/**
 * A date written out in the language's long form ("1 december 2026", "1 December 2026"): of a calendar
 * date `YYYY-MM-DD`, that day; of a moment (`toISOString()`, or with its offset), its day in Stockholm;
 * of a local time without an offset, its own day (it is Stockholm's, as luxon read it with the zone).
 */
export function longDate(iso: string, lang: 'sv' | 'en'): string {
  const locale = lang === 'en' ? 'en-GB' : 'sv-SE';
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]*)?$/.exec(iso);
  const [date, timeZone] = local
    ? [new Date(Date.UTC(Number(local[1]), Number(local[2]) - 1, Number(local[3]))), 'UTC']
    : [new Date(iso), ZONE];
  return formatter(locale, { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).format(date);
}
