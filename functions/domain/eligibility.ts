import { ageOn } from './identity-number';
import { message } from './messages';
import { calendarDate, type DateOrInstant } from './stockholm-dates';
import type { Partnership } from './partnership';

export type Ineligibility =
  | { field: 'identityNumber'; code: 'age'; message: string }
  | { field: 'district'; code: 'district'; message: string }
  | { field: null; code: 'period' | 'funding'; message: string };

/** Rules from the committee's decision: children 7–18, in a partnership district, within a funded period. */
export function checkEligibility(
  p: Partnership,
  /** Without a birth date (the identity number is wrong), the age rule waits for one. */
  referral: { birthDate?: string; district: string },
  /** Stockholm's date, or the moment. */
  now: DateOrInstant,
): Ineligibility[] {
  const problems: Ineligibility[] = [];
  const today = calendarDate(now);
  if (!p.funded) {
    problems.push({
      field: null,
      code: 'funding',
      message: message({
        sv: `Partnerskapet ${p.name} saknar finansiering just nu och kan inte ta emot anmälningar.`,
        en: `The partnership ${p.name} has no funding just now and cannot take referrals.`,
      }),
    });
  } else if (today < p.periodStart || today > p.periodEnd) {
    problems.push({
      field: null,
      code: 'period',
      message: message({
        sv: `Partnerskapet ${p.name} gäller ${p.periodStart} – ${p.periodEnd}; anmälningar utanför perioden kan inte tas emot.`,
        en: `The partnership ${p.name} runs ${p.periodStart} – ${p.periodEnd}; referrals outside that period cannot be taken.`,
      }),
    });
  }
  const age = referral.birthDate === undefined ? undefined : ageOn(referral.birthDate, today);
  if (age !== undefined && (age < p.ageMin || age > p.ageMax)) {
    problems.push({
      field: 'identityNumber',
      code: 'age',
      message: message({
        sv: `Barnet är ${age} år. Stödgrupperna är för barn ${p.ageMin}–${p.ageMax} år.`,
        en: `The child is ${age} years old. The support groups are for children aged ${p.ageMin}–${p.ageMax}.`,
      }),
    });
  }
  if (!p.districts.includes(referral.district)) {
    problems.push({
      field: 'district',
      code: 'district',
      message: message({
        sv: 'Välj ett av partnerskapets stadsdelsområden.',
        en: "Choose one of the partnership's city districts.",
      }),
    });
  }
  return problems;
}

/** Age band label used to pool children (deepened by the groups issue). */
export function ageBandOf(age: number): string {
  if (age <= 9) return '7-9';
  if (age <= 12) return '10-12';
  if (age <= 15) return '13-15';
  return '16-18';
}
