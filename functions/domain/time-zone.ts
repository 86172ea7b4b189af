/**
 * The partnership's time zone: local dates and times are Stockholm's. Its own module, so code that only
 * formats times does not load the holiday calendar that schedule.ts needs.
 */
export const ZONE = 'Europe/Stockholm';
