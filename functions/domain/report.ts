/** The partnership's follow-up per district and period: figures only, never personal data. */
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
