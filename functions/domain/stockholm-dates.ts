/**
 * Stockholm dates and times without luxon: today's date, whether a date exists, whole years of age, a
 * date written out; and for the groups, home visits, follow-up and closure the moment of a local time
 * (across DST), days and weekdays, months later, a time and a weekday written out; and the staff pages'
 * dates, times and months. luxon is ~70 KB of a bundle and ~5 ms of a cold start; no function imports it.
 * Each function is checked against luxon over many dates in test/unit/stockholm-dates.test.ts.
 */
import { ZONE } from './time-zone';

/** A moment: a Date, or anything that gives one (tests and the local runtime pass luxon DateTimes; functions never import luxon). */
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

// ---------------------------------------------------------------------------------------------------------
// Times of day, weekdays and months, for the group schedules, the home visits, the follow-up and closure
// (the links function's reach), read and resolved as luxon did, which they replace.

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Milliseconds of a wall-clock time read as if it were UTC; years 0–99 are those years, not 19xx. */
function wallClockMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0) {
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  if (year >= 0 && year < 100) at.setUTCFullYear(year, month - 1, day);
  return at.getTime();
}

/** Minutes a zone is ahead of UTC at a moment. */
type OffsetAt = (ms: number) => number;

/** Stockholm's offset, from the wall clock Intl gives for the moment (whole seconds, as luxon reads it). */
const stockholmOffset: OffsetAt = (ms) => {
  const parts = formatter('en-US', {
    timeZone: ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  const wall = wallClockMs(
    part('year'),
    part('month'),
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return (wall - (ms - (((ms % 1000) + 1000) % 1000))) / MINUTE_MS;
};

/** The process's own zone (UTC in Lambda), where luxon put a moment read without a zone. */
const processOffset: OffsetAt = (ms) => -new Date(ms).getTimezoneOffset();

/**
 * The moment of a wall-clock time in a zone, starting from a guessed offset, exactly as luxon resolves it:
 * a time in the spring-forward gap moves on by the gap (02:30 → 03:30); a time the fall-back shows twice
 * is the one the guess gives, if it gives one of them.
 */
function momentOfWallClock(wall: number, guess: number, offsetAt: OffsetAt): { at: number; offset: number } {
  let at = wall - guess * MINUTE_MS;
  const second = offsetAt(at);
  if (guess === second) return { at, offset: guess };
  at -= (second - guess) * MINUTE_MS;
  const third = offsetAt(at);
  if (second === third) return { at, offset: second };
  return { at: wall - Math.min(second, third) * MINUTE_MS, offset: Math.max(second, third) };
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

function wallClockOf(at: number, offset: number): WallClock {
  const d = new Date(at + offset * MINUTE_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The moment an ISO date or time means in Stockholm (ms), or undefined when it is no time luxon accepts:
 * with `Z` or an offset, that moment; without, Stockholm's wall-clock time, an ambiguous one read with the
 * offset Stockholm has at `now` (luxon guessed with the current offset). The forms the code writes and
 * the forms send: `YYYY-MM-DD`, and `YYYY-MM-DDTHH:mm[:ss[.SSS]]` with or without `Z`/`±HH:mm`.
 */
export function stockholmMoment(iso: string, now: number = Date.now()): number | undefined {
  const m = ISO_TIME.exec(iso);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millisecond = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const midnightNext = hour === 24 && minute === 0 && second === 0 && millisecond === 0;
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonthOf(year, month) ||
    !(hour <= 23 || midnightNext) ||
    minute > 59 ||
    second > 59 ||
    (m[8] && m[8] !== 'Z' && (Number(m[8].slice(1, 3)) > 23 || Number(m[8].slice(4)) > 59))
  )
    return undefined;
  const wall = wallClockMs(year, month, day, hour, minute, second, millisecond);
  if (m[8] === 'Z') return wall;
  if (m[8]) {
    const sign = m[8][0] === '-' ? -1 : 1;
    return wall - sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4))) * MINUTE_MS;
  }
  return momentOfWallClock(wall, stockholmOffset(now), stockholmOffset).at;
}

/** The Stockholm date of an ISO date or time (see stockholmMoment), `YYYY-MM-DD`; undefined if none. */
export function stockholmDateOf(iso: string): string | undefined {
  const at = stockholmMoment(iso);
  return at === undefined ? undefined : stockholmDate(new Date(at));
}

/** Stockholm's wall clock at a moment. */
function stockholmWallClock(at: number): WallClock {
  return wallClockOf(at, stockholmOffset(at));
}

/** `YYYY-MM-DD` as its parts. */
function dateParts(date: string): [number, number, number] {
  return date.split('-').map(Number) as [number, number, number];
}

/** The calendar date `days` days after `date` (before, if negative); both `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = dateParts(date);
  const next = new Date(wallClockMs(y, m, d) + days * DAY_MS);
  return isoDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

/** The ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = dateParts(date);
  return ((new Date(wallClockMs(y, m, d)).getUTCDay() + 6) % 7) + 1;
}

/** The first date on or after `date` that is this ISO weekday. */
export function weekdayOnOrAfter(date: string, weekday: number): string {
  return addDays(date, (weekday - isoWeekday(date) + 7) % 7);
}

/** The Monday of the (ISO) week of `date`. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/**
 * The moment (UTC ISO) of a Stockholm time of day `HH:mm` on a date: a 17:00 meeting is at 17:00 on both
 * sides of a DST change. A time in the spring-forward gap moves on by an hour; one the fall-back night
 * shows twice is the first, summer-time one (luxon set the time on the day's midnight, whose offset that is).
 */
export function stockholmTimeOn(date: string, time: string): string {
  const [y, mo, d] = dateParts(date);
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const midnight = momentOfWallClock(
    wallClockMs(y, mo, d),
    stockholmOffset(wallClockMs(y, mo, d)),
    stockholmOffset,
  );
  return new Date(
    momentOfWallClock(wallClockMs(y, mo, d, h, mi), midnight.offset, stockholmOffset).at,
  ).toISOString();
}

/**
 * The same wall-clock time `months` calendar months after a moment (ms), in the process's time zone (UTC
 * in Lambda), where luxon placed a moment read without a zone: a day the later month lacks becomes its
 * last (31 January + 1 month = 28 or 29 February).
 */
export function monthsLater(at: number, months: number): number {
  const offset = processOffset(at);
  const c = wallClockOf(at, offset);
  const month = c.month + Math.trunc(months);
  const day = Math.min(c.day, daysInMonthOf(c.year, month));
  const wall = wallClockMs(c.year, month, day, c.hour, c.minute, c.second, c.millisecond);
  return momentOfWallClock(wall, offset, processOffset).at;
}

/** Days in a month counted on from `year` (month 13 is next January); year 0 is a leap year, as in luxon. */
function daysInMonthOf(year: number, month: number): number {
  const inYear = (((month - 1) % 12) + 12) % 12;
  const y = year + (month - 1 - inYear) / 12;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return inYear === 1 ? (leap ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][inYear]!;
}

const localeOf = (lang: 'sv' | 'en') => (lang === 'en' ? 'en-GB' : 'sv-SE');

/** The Stockholm wall-clock time of a moment given as ISO (see stockholmMoment), `HH:mm`. */
export function clockTime(iso: string): string {
  const c = stockholmWallClock(stockholmMoment(iso)!);
  return `${pad(c.hour)}:${pad(c.minute)}`;
}

/**
 * The Stockholm day of a moment given as ISO (see stockholmMoment), with its weekday: "lördag 5 december
 * 2026" / "Saturday 5 December 2026", or without the year ("lördag 5 december").
 */
export function weekdayDate(iso: string, lang: 'sv' | 'en', withYear = true): string {
  const at = new Date(stockholmMoment(iso)!);
  const c = stockholmWallClock(at.getTime());
  const name = (options: Intl.DateTimeFormatOptions) =>
    formatter(localeOf(lang), { ...options, timeZone: ZONE }).format(at);
  const dayMonth = `${name({ weekday: 'long' })} ${c.day} ${name({ month: 'long' })}`;
  return withYear ? `${dayMonth} ${pad(c.year, 4)}` : dayMonth;
}

// ---------------------------------------------------------------------------------------------------------
// The staff pages' dates and months, written as luxon wrote them there (`LLL` is Intl's short month name
// standing alone: "mars", "jan.", "Sept").

/** A month's short name as the language writes it alone. */
function shortMonthName(year: number, month: number, lang: 'sv' | 'en'): string {
  return formatter(localeOf(lang), { timeZone: 'UTC', month: 'short' }).format(
    new Date(wallClockMs(year, month, 15)),
  );
}

/** A month `YYYY-MM` in words: "mars 2026", "Mar 2026". */
export function shortMonthYear(month: string, lang: 'sv' | 'en'): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return `${shortMonthName(year, m, lang)} ${pad(year, 4)}`;
}

/**
 * A moment given as ISO (see stockholmMoment) in Stockholm's time as a staff page writes it: "2026-12-05
 * 14:05", "5 Dec 2026, 14:05". A text that is no time is "Invalid DateTime", as luxon wrote it.
 */
export function shortDateTime(iso: string, lang: 'sv' | 'en'): string {
  const at = stockholmMoment(iso);
  if (at === undefined) return 'Invalid DateTime';
  const c = stockholmWallClock(at);
  const time = `${pad(c.hour)}:${pad(c.minute)}`;
  return lang === 'en'
    ? `${c.day} ${shortMonthName(c.year, c.month, lang)} ${pad(c.year, 4)}, ${time}`
    : `${isoDate(c.year, c.month, c.day)} ${time}`;
}
