/**
 * Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).
 * Used only to check eligibility (age) and to detect an already active referral for the same
 * child; the number itself is never stored, mailed or logged (see adapters/identity-hash).
 */
import { calendarDate, isCalendarDate, isoDate, wholeYears, type DateOrInstant } from './stockholm-dates';

export interface ParsedIdentityNumber {
  /** 12 digits, no separator: YYYYMMDDNNNC. */
  normalized: string;
  birthDate: string; // ISO date
}

const PATTERN = /^(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})$/;

function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < tenDigits.length; i++) {
    let d = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The year of birth: written out, or for a 10-digit number the latest one not after today ("+": 100 earlier). */
function birthYear(century: string | undefined, yy: string, plus: boolean, today: string): number {
  if (century) return Number(`${century}${yy}`);
  const base = Number(today.slice(0, 4)) - (plus ? 100 : 0);
  return base - ((((base - Number(yy)) % 100) + 100) % 100);
}

/** Why a typed identity number is not one: each gets its own message on the form. */
export type IdentityNumberProblem = 'format' | 'date' | 'check-digit' | 'future';

/**
 * What is wrong with `input` as an identity number, checked in the order a person reads it (shape,
 * date, future, check digit), or undefined when it is one. `today`: Stockholm's date, or the moment.
 */
export function identityNumberProblem(
  input: string,
  today: DateOrInstant,
): IdentityNumberProblem | undefined {
  const day = calendarDate(today);
  const compact = input.replace(/\s/g, '');
  const m = PATTERN.exec(compact);
  if (!m) return 'format';
  const [, century, yy, mm, ddRaw] = m as unknown as [string, string | undefined, string, string, string];
  const dd = Number(ddRaw) > 60 ? Number(ddRaw) - 60 : Number(ddRaw);
  const year = birthYear(century, yy, compact.includes('+'), day);
  if (!isCalendarDate(year, Number(mm), dd)) return 'date';
  if (isoDate(year, Number(mm), dd) > day) return 'future';
  if (!parseIdentityNumber(input, day)) return 'check-digit';
  return undefined;
}

/**
 * Parses "YYYYMMDD-NNNN", "YYYYMMDDNNNN", "YYMMDD-NNNN" (or with "+" for age ≥ 100).
 * `today` (Stockholm's date, or the moment) resolves the century of a 10-digit number. Returns undefined
 * when invalid.
 */
export function parseIdentityNumber(input: string, today: DateOrInstant): ParsedIdentityNumber | undefined {
  const day = calendarDate(today);
  const compact = input.replace(/\s/g, '');
  const m = PATTERN.exec(compact);
  if (!m) return undefined;
  const [, century, yy, mm, ddRaw, tail] = m as unknown as [
    string,
    string | undefined,
    string,
    string,
    string,
    string,
  ];
  if (!luhnValid(`${yy}${mm}${ddRaw}${tail}`)) return undefined;
  let dd = Number(ddRaw);
  if (dd > 60) dd -= 60; // samordningsnummer: day + 60
  const year = birthYear(century, yy, compact.includes('+'), day);
  if (!isCalendarDate(year, Number(mm), dd)) return undefined;
  const birthDate = isoDate(year, Number(mm), dd);
  if (birthDate > day) return undefined;
  return { normalized: `${String(year)}${mm}${ddRaw}${tail}`, birthDate };
}

/** Whole years of age on `on` (a Stockholm calendar date, or the moment whose Stockholm date is meant). */
export function ageOn(birthDate: string, on: DateOrInstant): number {
  return wholeYears(birthDate, calendarDate(on));
}
