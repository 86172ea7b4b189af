/**
 * Group schedules, planned in Europe/Stockholm local time and stored as UTC instants.
 * Weekly group: 8 meetings of 2 hours, one a week on the same weekday and time, never on a holiday.
 * Support weekend: at least 3 full days spread over Saturdays and Sundays, plus a follow-up Saturday.
 */
import { DateTime } from 'luxon';
import { swedishDaysOff } from './swedish-holidays';
import { ZONE } from './time-zone';

export { ZONE };

export interface WeeklySlot {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local start time, HH:mm. */
  start: string;
}

export interface ScheduleSettings {
  weekly: { meetings: number; hours: number };
  weekend: { fullDays: number; dayStart: string; dayEnd: string; followUpWeeksAfter: number };
}

export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = {
  weekly: { meetings: 8, hours: 2 },
  weekend: { fullDays: 3, dayStart: '10:00', dayEnd: '16:00', followUpWeeksAfter: 4 },
};

export interface Meeting {
  index: number;
  kind: 'weekly' | 'weekend-day' | 'follow-up';
  /** UTC ISO instants. */
  startsAt: string;
  endsAt: string;
}

const holidayCache = new Map<number, Set<string>>();

/** Public holidays and the eves that are de facto days off (midsommarafton, julafton, nyårsafton). */
export function isSwedishHoliday(isoDate: string): boolean {
  const year = Number(isoDate.slice(0, 4));
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(swedishDaysOff(year).map((d) => d.date));
    holidayCache.set(year, set);
  }
  return set.has(isoDate);
}

function at(date: DateTime, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return date.set({ hour: h, minute: m, second: 0, millisecond: 0 });
}

function meeting(index: number, kind: Meeting['kind'], start: DateTime, end: DateTime): Meeting {
  return { index, kind, startsAt: start.toUTC().toISO()!, endsAt: end.toUTC().toISO()! };
}

/** The first local date on or after `from` with this ISO weekday. */
function firstWeekdayOnOrAfter(from: DateTime, weekday: number): DateTime {
  return from.plus({ days: (weekday - from.weekday + 7) % 7 });
}

/**
 * A group's last meeting ends at most this many days after it is confirmed: the group's execution waits
 * for each meeting, and a Standard execution lives at most a year (workflows/execution-bounds.ts).
 */
export const MAX_GROUP_SPAN_DAYS = 150;

/** Whole days from `from` to the end of the schedule's last meeting. */
export function scheduleSpanDays(meetings: Meeting[], from: Date): number {
  const last = Math.max(...meetings.map((m) => Date.parse(m.endsAt)));
  return (last - from.getTime()) / (24 * 3600 * 1000);
}

export function weeklySchedule(
  fromIsoDate: string,
  slot: WeeklySlot,
  settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS,
): Meeting[] {
  const meetings: Meeting[] = [];
  let day = firstWeekdayOnOrAfter(DateTime.fromISO(fromIsoDate, { zone: ZONE }).startOf('day'), slot.weekday);
  while (meetings.length < settings.weekly.meetings) {
    if (!isSwedishHoliday(day.toISODate()!)) {
      // Local wall-clock time: a 17:00 meeting stays at 17:00 across the daylight-saving change.
      const start = at(day, slot.start);
      meetings.push(
        meeting(meetings.length + 1, 'weekly', start, start.plus({ hours: settings.weekly.hours })),
      );
    }
    day = day.plus({ weeks: 1 });
  }
  return meetings;
}

export function weekendSchedule(
  fromIsoDate: string,
  settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS,
): Meeting[] {
  const { fullDays, dayStart, dayEnd, followUpWeeksAfter } = settings.weekend;
  const meetings: Meeting[] = [];
  let saturday = firstWeekdayOnOrAfter(DateTime.fromISO(fromIsoDate, { zone: ZONE }).startOf('day'), 6);
  // Full days fill whole weekends (Saturday, then Sunday), skipping holidays, until there are enough.
  while (meetings.length < fullDays) {
    for (const day of [saturday, saturday.plus({ days: 1 })]) {
      if (meetings.length < fullDays && !isSwedishHoliday(day.toISODate()!))
        meetings.push(meeting(meetings.length + 1, 'weekend-day', at(day, dayStart), at(day, dayEnd)));
    }
    saturday = saturday.plus({ weeks: 1 });
  }
  const lastFullDay = DateTime.fromISO(meetings.at(-1)!.startsAt, { zone: ZONE });
  let followUp = firstWeekdayOnOrAfter(lastFullDay.plus({ weeks: followUpWeeksAfter }).startOf('day'), 6);
  while (isSwedishHoliday(followUp.toISODate()!)) followUp = followUp.plus({ weeks: 1 });
  meetings.push(meeting(meetings.length + 1, 'follow-up', at(followUp, dayStart), at(followUp, dayEnd)));
  return meetings;
}
