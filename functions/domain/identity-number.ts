/**
 * Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).
 * Used only to check eligibility (age) and to detect an already active referral for the same
 * child; the number itself is never stored, mailed or logged (see adapters/identity-hash).
 */
import { DateTime } from 'luxon';

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

/**
 * Parses "YYYYMMDD-NNNN", "YYYYMMDDNNNN", "YYMMDD-NNNN" (or with "+" for age ≥ 100).
 * `today` resolves the century of a 10-digit number. Returns undefined when invalid.
 */
export function parseIdentityNumber(input: string, today: DateTime): ParsedIdentityNumber | undefined {
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
  let year: number;
  if (century) {
    year = Number(`${century}${yy}`);
  } else {
    const base = today.year - (compact.includes('+') ? 100 : 0);
    year = base - ((((base - Number(yy)) % 100) + 100) % 100);
  }
  const birth = DateTime.fromObject({ year, month: Number(mm), day: dd }, { zone: 'Europe/Stockholm' });
  if (!birth.isValid || birth > today) return undefined;
  return {
    normalized: `${String(year)}${mm}${ddRaw}${tail}`,
    birthDate: birth.toISODate()!,
  };
}

/** Whole years of age on `on` (Stockholm calendar date). */
export function ageOn(birthDate: string, on: DateTime): number {
  const birth = DateTime.fromISO(birthDate, { zone: 'Europe/Stockholm' });
  const day = on.setZone('Europe/Stockholm').startOf('day');
  return Math.floor(day.diff(birth, 'years').years);
}
