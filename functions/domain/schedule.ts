/**
 * Group schedules, planned in Europe/Stockholm local time and stored as UTC instants.
 * Weekly group: 8 meetings of 2 hours, one a week on the same weekday and time, never on a holiday.
 * Support weekend: at least 3 full days spread over Saturdays and Sundays, plus a follow-up Saturday.
 */
import { addDays, stockholmDateOf, stockholmTimeOn, weekdayOnOrAfter } from './stockholm-dates';
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

function meeting(index: number, kind: Meeting['kind'], startsAt: string, endsAt: string): Meeting {
  return { index, kind, startsAt, endsAt };
}

/** `hours` hours after a UTC ISO instant: elapsed time, so a meeting over a DST change still lasts them. */
function hoursAfter(instant: string, hours: number): string {
  return new Date(Date.parse(instant) + hours * 3600_000).toISOString();
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
  let day = weekdayOnOrAfter(fromIsoDate, slot.weekday);
  while (meetings.length < settings.weekly.meetings) {
    if (!isSwedishHoliday(day)) {
      // Local wall-clock time: a 17:00 meeting stays at 17:00 across the daylight-saving change.
      const start = stockholmTimeOn(day, slot.start);
      meetings.push(meeting(meetings.length + 1, 'weekly', start, hoursAfter(start, settings.weekly.hours)));
    }
    day = addDays(day, 7);
  }
  return meetings;
}

export function weekendSchedule(
  fromIsoDate: string,
  settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS,
): Meeting[] {
  const { fullDays, dayStart, dayEnd, followUpWeeksAfter } = settings.weekend;
  const meetings: Meeting[] = [];
  let saturday = weekdayOnOrAfter(fromIsoDate, 6);
  // Full days fill whole weekends (Saturday, then Sunday), skipping holidays, until there are enough.
  while (meetings.length < fullDays) {
    for (const day of [saturday, addDays(saturday, 1)]) {
      if (meetings.length < fullDays && !isSwedishHoliday(day))
        meetings.push(
          meeting(
            meetings.length + 1,
            'weekend-day',
            stockholmTimeOn(day, dayStart),
            stockholmTimeOn(day, dayEnd),
          ),
        );
    }
    saturday = addDays(saturday, 7);
  }
  const lastFullDay = stockholmDateOf(meetings.at(-1)!.startsAt)!;
  let followUp = weekdayOnOrAfter(addDays(lastFullDay, 7 * followUpWeeksAfter), 6);
  while (isSwedishHoliday(followUp)) followUp = addDays(followUp, 7);
  meetings.push(
    meeting(
      meetings.length + 1,
      'follow-up',
      stockholmTimeOn(followUp, dayStart),
      stockholmTimeOn(followUp, dayEnd),
    ),
  );
  return meetings;
}
