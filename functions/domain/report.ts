/** The partnership's follow-up per district and period: figures only, never personal data. */
import * as z from 'zod/mini';
import { onFirstUse } from '../shared/on-first-use';
import { message } from './messages';
import { stockholmDate, stockholmDateOf, stockholmMoment, wholeYears } from './stockholm-dates';

export interface ReportRow {
  district: string;
  createdAt: string;
  screenedIn: boolean;
  consented: boolean;
  placed: boolean;
  outcome?: string;
  format?: 'weekly' | 'weekend';
  firstMeetingAt?: string;
  attended?: number;
  scheduled?: number;
  /** Average 1–5 scores per round and respondent, e.g. `first-child`. */
  scores?: Record<string, number>;
}

export interface DistrictFigures {
  district: string;
  referrals: number;
  screenedIn: number;
  consented: number;
  placed: number;
  completed: number;
  withdrawn: number;
  /** Attended meetings / scheduled meetings of placed children, 0–1; undefined without data. */
  attendanceRate?: number;
  medianDaysToFirstMeeting?: number;
  weekly: number;
  weekend: number;
  childScore?: number;
  carerScore?: number;
}

function median(xs: number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function mean(xs: number[]): number | undefined {
  return xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : undefined;
}

export function districtFigures(district: string, rows: ReportRow[]): DistrictFigures {
  const placed = rows.filter((r) => r.placed);
  const scheduled = placed.reduce((n, r) => n + (r.scheduled ?? 0), 0);
  const attended = placed.reduce((n, r) => n + (r.attended ?? 0), 0);
  const score = (respondent: string) =>
    mean(
      rows.flatMap((r) =>
        Object.entries(r.scores ?? {})
          .filter(([k]) => k.endsWith(respondent))
          .map(([, v]) => v),
      ),
    );
  return {
    district,
    referrals: rows.length,
    screenedIn: rows.filter((r) => r.screenedIn).length,
    consented: rows.filter((r) => r.consented).length,
    placed: placed.length,
    completed: rows.filter((r) => r.outcome === 'completed').length,
    withdrawn: rows.filter((r) => r.outcome === 'withdrawn').length,
    attendanceRate: scheduled ? Math.round((attended / scheduled) * 1000) / 1000 : undefined,
    medianDaysToFirstMeeting: median(
      placed
        .filter((r) => r.firstMeetingAt)
        .map((r) => Math.round((Date.parse(r.firstMeetingAt!) - Date.parse(r.createdAt)) / 86_400_000)),
    ),
    weekly: placed.filter((r) => r.format === 'weekly').length,
    weekend: placed.filter((r) => r.format === 'weekend').length,
    childScore: score('-child'),
    carerScore: score('-carer'),
  };
}

export function partnershipReport(
  districts: readonly string[],
  rows: ReportRow[],
): { districts: DistrictFigures[]; total: DistrictFigures } {
  return {
    districts: districts.map((d) =>
      districtFigures(
        d,
        rows.filter((r) => r.district === d),
      ),
    ),
    total: districtFigures('Totalt', rows),
  };
}

// ---- The report's period ------------------------------------------------------------------------------

/** A period longer than this is refused: the monthly trend would be unreadable and the query needless. */
export const MAX_REPORT_YEARS = 10;

export const REPORT_PERIOD_MESSAGES = {
  from: message({
    sv: 'Ange ett giltigt startdatum, till exempel 2026-01-01.',
    en: 'Enter a valid start date, for example 2026-01-01.',
  }),
  to: message({
    sv: 'Ange ett giltigt slutdatum, till exempel 2026-12-31.',
    en: 'Enter a valid end date, for example 2026-12-31.',
  }),
  reversed: message({
    sv: 'Slutdatumet ligger före startdatumet. Välj ett slutdatum samma dag som startdatumet eller senare.',
    en: 'The end date is before the start date. Choose an end date on or after the start date.',
  }),
  tooLong: message({
    sv: `Perioden får vara högst ${MAX_REPORT_YEARS} år. Välj ett senare startdatum eller ett tidigare slutdatum.`,
    en: `The period may be at most ${MAX_REPORT_YEARS} years. Choose a later start date or an earlier end date.`,
  }),
};

/** A calendar date as `<input type="date">` sends it; empty means "not chosen" (the default applies). */
const reportDate = (error: string) =>
  z.optional(
    z.string().check(
      z.trim(),
      // stockholmMoment accepts the dates luxon did (year 0000 too), which a stricter check would refuse.
      z.refine((v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && stockholmMoment(v) !== undefined), error),
    ),
  );

const reportQuery = onFirstUse(() =>
  z.pipe(
    z.object({ from: reportDate(REPORT_PERIOD_MESSAGES.from), to: reportDate(REPORT_PERIOD_MESSAGES.to) }),
    z.transform(({ from, to }) => ({ from: from || undefined, to: to || undefined })),
  ),
);

export type ReportPeriod =
  | { ok: true; from: string; to: string }
  /** What the person typed, kept for the form, with a message per field (`from`, `to`). */
  | { ok: false; from: string; to: string; errors: Partial<Record<'from' | 'to', string>> };

/**
 * The period the report covers: the dates asked for, each defaulting to the partnership's period, or to
 * the current calendar year (Europe/Stockholm) for a partnership without one. An invalid, reversed or too
 * long period is an error the page shows at the field, never silently replaced.
 */
export function reportPeriod(
  query: { from?: string; to?: string },
  partnership: { periodStart?: string; periodEnd?: string } | undefined,
  now: Date,
): ReportPeriod {
  const year = stockholmDate(now).slice(0, 4);
  const defaults = {
    from: partnership?.periodStart || `${year}-01-01`,
    to: partnership?.periodEnd || `${year}-12-31`,
  };
  const parsed = reportQuery().safeParse(query);
  if (!parsed.success) {
    const errors: Partial<Record<'from' | 'to', string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === 'from' || field === 'to') && !errors[field]) errors[field] = issue.message;
    }
    return { ok: false, from: query.from ?? '', to: query.to ?? '', errors };
  }
  const from = parsed.data.from ?? defaults.from;
  const to = parsed.data.to ?? defaults.to;
  if (to < from) return { ok: false, from, to, errors: { to: REPORT_PERIOD_MESSAGES.reversed } };
  // Ten years from 29 February end on 28 February, as luxon's date arithmetic had it.
  if (wholeYears(from, to) >= MAX_REPORT_YEARS)
    return { ok: false, from, to, errors: { from: REPORT_PERIOD_MESSAGES.tooLong } };
  return { ok: true, from, to };
}

// ---- Funnel and trend ---------------------------------------------------------------------------------

export const FUNNEL_STAGES = ['referrals', 'screenedIn', 'consented', 'placed', 'completed'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** How many referrals reached each stage, from referred to completed, with the share of all referred. */
export function referralFunnel(
  total: DistrictFigures,
): { stage: FunnelStage; count: number; share?: number }[] {
  return FUNNEL_STAGES.map((stage) => ({
    stage,
    count: total[stage],
    share: total.referrals ? Math.round((total[stage] / total.referrals) * 1000) / 1000 : undefined,
  }));
}

/**
 * Referrals per calendar month (Europe/Stockholm) from the period's first month to its last, or to the
 * current month when the period reaches into the future (months to come have no referrals to show).
 */
export function monthlyTrend(
  rows: Pick<ReportRow, 'createdAt'>[],
  from: string,
  to: string,
  now: Date,
): { month: string; referrals: number }[] {
  // Months counted from year 0 (year * 12 + month - 1), so that they compare and follow on as numbers.
  const first = monthNumber(from);
  const thisMonth = monthNumber(stockholmDate(now));
  const periodEnd = monthNumber(to);
  const last = periodEnd > thisMonth && thisMonth >= first ? thisMonth : periodEnd;
  const counts = new Map<string, number>();
  for (const r of rows) {
    const month = stockholmDateOf(r.createdAt)?.slice(0, 7);
    if (month) counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  const months: { month: string; referrals: number }[] = [];
  for (let m = first; m <= last; m++) {
    const month = `${String(Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}`;
    months.push({ month, referrals: counts.get(month) ?? 0 });
  }
  return months;
}

/** The month of a `YYYY-MM-DD` as a number: year * 12 + month - 1. */
function monthNumber(date: string): number {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return year * 12 + month - 1;
}
