import { DateTime } from 'luxon';
import { ageOn } from './identity-number';
import type { Partnership } from './partnership';

export type Ineligibility =
  | { field: 'identityNumber'; code: 'age'; message: string }
  | { field: 'district'; code: 'district'; message: string }
  | { field: null; code: 'period' | 'funding'; message: string };

/** Rules from the committee's decision: children 7–18, in a partnership district, within a funded period. */
export function checkEligibility(
  p: Partnership,
  referral: { birthDate: string; district: string },
  now: DateTime,
): Ineligibility[] {
  const problems: Ineligibility[] = [];
  const today = now.setZone('Europe/Stockholm').toISODate()!;
  if (!p.funded) {
    problems.push({
      field: null,
      code: 'funding',
      message: `Partnerskapet ${p.name} saknar finansiering just nu och kan inte ta emot anmälningar.`,
    });
  } else if (today < p.periodStart || today > p.periodEnd) {
    problems.push({
      field: null,
      code: 'period',
      message: `Partnerskapet ${p.name} gäller ${p.periodStart} – ${p.periodEnd}; anmälningar utanför perioden kan inte tas emot.`,
    });
  }
  const age = ageOn(referral.birthDate, now);
  if (age < p.ageMin || age > p.ageMax) {
    problems.push({
      field: 'identityNumber',
      code: 'age',
      message: `Barnet är ${age} år. Stödgrupperna är för barn ${p.ageMin}–${p.ageMax} år.`,
    });
  }
  if (!p.districts.includes(referral.district)) {
    problems.push({
      field: 'district',
      code: 'district',
      message: 'Välj ett av partnerskapets stadsdelsområden.',
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
