/**
 * An iCalendar (RFC 5545) file of timed events in UTC: the few lines the meeting schedule needs, written
 * here instead of with the `ics` library, which validates with yup and brought ~75 KB into every group
 * function's bundle. The same lines as `ics` wrote (test/unit/calendar-file.test.ts compares them), folded
 * at 75 octets as the RFC asks.
 */

export interface CalendarEvent {
  uid: string;
  title: string;
  location: string;
  /** UTC ISO instants. */
  startsAt: string;
  endsAt: string;
}

/** TEXT values: backslash, newline, semicolon and comma escaped (RFC 5545 3.3.11). */
const text = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n').replace(/;/g, '\\;').replace(/,/g, '\\,');

/** `20260305T160000Z` */
const utc = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

const encoder = new TextEncoder();

/** Lines longer than 75 octets go on in continuation lines that start with a space; never inside a character. */
function fold(line: string): string {
  const parts: string[] = [];
  let part = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74; // a continuation's leading space counts
    if (octets + size > limit) {
      parts.push(part);
      part = '';
      octets = 0;
    }
    part += char;
    octets += size;
  }
  parts.push(part);
  return parts.join('\r\n ');
}

export function calendarFile(productId: string, events: CalendarEvent[], stampedAt: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `PRODID:${productId}`,
    'METHOD:PUBLISH',
    'X-PUBLISHED-TTL:PT1H',
    ...events.flatMap((e) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `SUMMARY:${text(e.title)}`,
      `DTSTAMP:${utc(stampedAt.toISOString())}`,
      `DTSTART:${utc(e.startsAt)}`,
      `DTEND:${utc(e.endsAt)}`,
      `LOCATION:${text(e.location)}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
