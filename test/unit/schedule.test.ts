/** Property tests: weekly and weekend schedules over any start date and slot, across DST changes. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCHEDULE_SETTINGS,
  isSwedishHoliday,
  type Meeting,
  type ScheduleSettings,
  type WeeklySlot,
  weekendSchedule,
  weeklySchedule,
  ZONE,
} from '../../functions/domain/schedule';

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const startDate = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const slot = fc.record({
  weekday: fc.integer({ min: 1, max: 5 }),
  start: fc
    .tuple(fc.integer({ min: 8, max: 19 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
});

describe('weekly schedule', () => {
  it('has 8 meetings of 2 hours, one a week on the same local weekday and time, none on a holiday', () => {
    fc.assert(
      fc.property(startDate, slot, (from, s) => {
        const meetings = weeklySchedule(from, s);
        expect(meetings).toHaveLength(8);
        for (const [i, m] of meetings.entries()) {
          const start = local(m.startsAt);
          const end = local(m.endsAt);
          expect(m.startsAt.endsWith('Z')).toBe(true); // stored in UTC
          expect(end.diff(start, 'hours').hours).toBe(2);
          expect(start.weekday).toBe(s.weekday);
          expect(start.toFormat('HH:mm')).toBe(s.start);
          expect(isSwedishHoliday(start.toISODate()!)).toBe(false);
          expect(start.toISODate()! >= from).toBe(true);
          if (i > 0) {
            const days = start
              .startOf('day')
              .diff(local(meetings[i - 1]!.startsAt).startOf('day'), 'days').days;
            expect(days % 7).toBe(0); // whole weeks apart: the same weekday, skipping holiday weeks
            expect(days).toBeGreaterThan(0);
          }
        }
        // At most one meeting a week.
        const weeks = new Set(meetings.map((m) => local(m.startsAt).toFormat('kkkk-WW')));
        expect(weeks.size).toBe(8);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps local time across the spring and autumn DST changes (UTC hour shifts)', () => {
    const meetings = weeklySchedule('2026-03-10', { weekday: 2, start: '17:00' });
    const utcHours = meetings.map((m) => new Date(m.startsAt).getUTCHours());
    expect(utcHours[0]).toBe(16); // CET, UTC+1
    expect(utcHours.at(-1)).toBe(15); // CEST, UTC+2
    expect(meetings.every((m) => local(m.startsAt).hour === 17)).toBe(true);
    const autumn = weeklySchedule('2026-10-13', { weekday: 2, start: '17:00' });
    expect(new Date(autumn[0]!.startsAt).getUTCHours()).toBe(15);
    expect(new Date(autumn.at(-1)!.startsAt).getUTCHours()).toBe(16);
  });

  it('skips holidays: a Friday group does not meet on Good Friday or on Midsummer Eve', () => {
    const spring = weeklySchedule('2026-03-27', { weekday: 5, start: '15:00' }).map((m) =>
      local(m.startsAt).toISODate(),
    );
    expect(spring).not.toContain('2026-04-03');
    expect(spring).toContain('2026-03-27');
    expect(spring).toContain('2026-04-10');
    const summer = weeklySchedule('2026-06-12', { weekday: 5, start: '15:00' }).map((m) =>
      local(m.startsAt).toISODate(),
    );
    expect(summer).not.toContain('2026-06-19');
  });
});

describe('support weekend', () => {
  it('has at least 3 full days on Saturdays and Sundays and a later follow-up Saturday', () => {
    fc.assert(
      fc.property(startDate, (from) => {
        const meetings = weekendSchedule(from);
        const days = meetings.filter((m) => m.kind === 'weekend-day');
        const followUp = meetings.filter((m) => m.kind === 'follow-up');
        expect(days.length).toBeGreaterThanOrEqual(3);
        expect(followUp).toHaveLength(1);
        for (const d of days) {
          const start = local(d.startsAt);
          expect([6, 7]).toContain(start.weekday);
          expect(local(d.endsAt).diff(start, 'hours').hours).toBeGreaterThanOrEqual(6); // a full day
          expect(isSwedishHoliday(start.toISODate()!)).toBe(false);
        }
        expect(days.some((d) => local(d.startsAt).weekday === 6)).toBe(true);
        expect(days.some((d) => local(d.startsAt).weekday === 7)).toBe(true);
        const f = local(followUp[0]!.startsAt);
        expect(f.weekday).toBe(6);
        expect(f > local(days.at(-1)!.startsAt).plus({ weeks: 3 })).toBe(true);
        expect(isSwedishHoliday(f.toISODate()!)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

/** The schedules as luxon planned them before schedule.ts did without it: the reference they must equal. */
const luxonPlan = {
  at(date: DateTime, hhmm: string): DateTime {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    return date.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  },
  meeting(index: number, kind: Meeting['kind'], start: DateTime, end: DateTime): Meeting {
    return { index, kind, startsAt: start.toUTC().toISO()!, endsAt: end.toUTC().toISO()! };
  },
  onOrAfter(from: DateTime, weekday: number): DateTime {
    return from.plus({ days: (weekday - from.weekday + 7) % 7 });
  },
  weekly(fromIsoDate: string, slot: WeeklySlot, settings: ScheduleSettings): Meeting[] {
    const meetings: Meeting[] = [];
    let day = this.onOrAfter(DateTime.fromISO(fromIsoDate, { zone: ZONE }).startOf('day'), slot.weekday);
    while (meetings.length < settings.weekly.meetings) {
      if (!isSwedishHoliday(day.toISODate()!)) {
        const start = this.at(day, slot.start);
        meetings.push(
          this.meeting(meetings.length + 1, 'weekly', start, start.plus({ hours: settings.weekly.hours })),
        );
      }
      day = day.plus({ weeks: 1 });
    }
    return meetings;
  },
  weekend(fromIsoDate: string, settings: ScheduleSettings): Meeting[] {
    const { fullDays, dayStart, dayEnd, followUpWeeksAfter } = settings.weekend;
    const meetings: Meeting[] = [];
    let saturday = this.onOrAfter(DateTime.fromISO(fromIsoDate, { zone: ZONE }).startOf('day'), 6);
    while (meetings.length < fullDays) {
      for (const day of [saturday, saturday.plus({ days: 1 })]) {
        if (meetings.length < fullDays && !isSwedishHoliday(day.toISODate()!))
          meetings.push(
            this.meeting(meetings.length + 1, 'weekend-day', this.at(day, dayStart), this.at(day, dayEnd)),
          );
      }
      saturday = saturday.plus({ weeks: 1 });
    }
    const lastFullDay = DateTime.fromISO(meetings.at(-1)!.startsAt, { zone: ZONE });
    let followUp = this.onOrAfter(lastFullDay.plus({ weeks: followUpWeeksAfter }).startOf('day'), 6);
    while (isSwedishHoliday(followUp.toISODate()!)) followUp = followUp.plus({ weeks: 1 });
    meetings.push(
      this.meeting(meetings.length + 1, 'follow-up', this.at(followUp, dayStart), this.at(followUp, dayEnd)),
    );
    return meetings;
  },
};

describe('schedules without luxon', () => {
  /** Start dates of 2024–2035, often the week before a DST change (the last Sunday of March or October). */
  const from = fc.oneof(
    fc
      .date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2035-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
    fc
      .tuple(fc.integer({ min: 2024, max: 2035 }), fc.constantFrom(3, 10), fc.integer({ min: 0, max: 13 }))
      .map(([year, month, back]) => {
        const last = DateTime.utc(year, month).endOf('month');
        return last.minus({ days: (last.weekday % 7) + back }).toISODate()!;
      }),
  );
  /** Any time of day, often in the night of a DST change (01:30–03:30). */
  const time = fc
    .oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 90, max: 210 }))
    .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  const hours = fc.integer({ min: 1, max: 4 });

  it('plan weekly groups to the same instants as luxon did, Sundays and DST nights included', () => {
    fc.assert(
      fc.property(from, fc.integer({ min: 1, max: 7 }), time, hours, (start, weekday, t, h) => {
        const settings = { ...DEFAULT_SCHEDULE_SETTINGS, weekly: { meetings: 8, hours: h } };
        const slot = { weekday, start: t };
        expect(weeklySchedule(start, slot, settings)).toEqual(luxonPlan.weekly(start, slot, settings));
      }),
      { numRuns: 1500 },
    );
  });

  it('plan support weekends to the same instants as luxon did, DST nights included', () => {
    fc.assert(
      fc.property(
        from,
        time,
        time,
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 8 }),
        (start, a, b, days, weeks) => {
          const settings = {
            ...DEFAULT_SCHEDULE_SETTINGS,
            weekend: { fullDays: days, dayStart: a, dayEnd: b, followUpWeeksAfter: weeks },
          };
          expect(weekendSchedule(start, settings)).toEqual(luxonPlan.weekend(start, settings));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
