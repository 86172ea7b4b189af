/**
 * The meeting schedule's calendar file against the library that wrote it before (`ics`, now a dev
 * dependency for this test only): the same lines once unfolded, DTSTAMP aside (both stamp the time of
 * making); and lines folded at 75 octets, which calendar programs read back to the same values.
 */
import fc from 'fast-check';
import ICAL from 'ical.js';
import { createEvents } from 'ics';
import { describe, expect, it } from 'vitest';
import { calendarFile, type CalendarEvent } from '../../functions/phases/groups/calendar-file';

const instant = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString());
/** Names and addresses: Swedish letters, the characters iCalendar escapes, and long enough to fold. */
const words = fc.string({
  unit: fc.constantFrom('a', 'Ö', 'å', ' ', ',', ';', '\\', '\n', '7', 'é', '😀'),
  minLength: 1,
  maxLength: 120,
});
const event = fc.record({
  uid: fc.stringMatching(/^g-[a-z0-9]{4,12}-[1-9]@stodgrupper\.bris$/),
  title: words,
  location: words,
  startsAt: instant,
  endsAt: instant,
});

const unfolded = (file: string) => file.replace(/\r\n[ \t]/g, '');
const withoutStamp = (file: string) => unfolded(file).replace(/DTSTAMP:\d{8}T\d{6}Z\r\n/g, '');

describe('the calendar file', () => {
  it('has the lines the ics library wrote, and folds at 75 octets into the same values', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 9 }), (events: CalendarEvent[]) => {
        const ours = calendarFile('bris-stodgrupper', events, new Date());
        const theirs = createEvents(
          events.map((e) => ({
            uid: e.uid,
            title: e.title,
            location: e.location,
            start: Date.parse(e.startsAt),
            startInputType: 'utc' as const,
            startOutputType: 'utc' as const,
            end: Date.parse(e.endsAt),
            endInputType: 'utc' as const,
            endOutputType: 'utc' as const,
            productId: 'bris-stodgrupper',
          })),
        );
        expect(theirs.error).toBeFalsy();
        expect(withoutStamp(ours)).toBe(withoutStamp(theirs.value!));
        for (const line of ours.split('\r\n'))
          expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
        const read = new ICAL.Component(ICAL.parse(ours))
          .getAllSubcomponents('vevent')
          .map((v) => new ICAL.Event(v));
        expect(read.map((r) => [r.uid, r.summary, r.location])).toEqual(
          events.map((e) => [e.uid, e.title, e.location]),
        );
        expect(read.map((r) => r.startDate.toJSDate().toISOString())).toEqual(events.map((e) => e.startsAt));
      }),
      { numRuns: 200 },
    );
  });
});
