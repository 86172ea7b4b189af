import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { inLanguage } from '../../functions/domain/messages';
import {
  monthlyTrend,
  partnershipReport,
  referralFunnel,
  REPORT_PERIOD_MESSAGES,
  reportPeriod,
  type ReportRow,
} from '../../functions/domain/report';

const row = (over: Partial<ReportRow>): ReportRow => ({
  district: 'Farsta',
  createdAt: '2026-01-01T00:00:00Z',
  screenedIn: true,
  consented: true,
  placed: true,
  ...over,
});

describe('partnership report', () => {
  it('counts each stage, the attendance rate, the median wait and the format split per district', () => {
    const rows = [
      row({
        outcome: 'completed',
        format: 'weekly',
        firstMeetingAt: '2026-01-11T00:00:00Z',
        attended: 7,
        scheduled: 8,
        scores: { 'first-child': 5, 'first-carer': 4 },
      }),
      row({
        outcome: 'completed',
        format: 'weekend',
        firstMeetingAt: '2026-01-31T00:00:00Z',
        attended: 4,
        scheduled: 4,
        scores: { 'first-child': 3 },
      }),
      row({
        outcome: 'withdrawn',
        format: 'weekly',
        firstMeetingAt: '2026-01-21T00:00:00Z',
        attended: 1,
        scheduled: 8,
      }),
      row({ outcome: 'declined', screenedIn: false, consented: false, placed: false }),
      row({ district: 'Bromma', outcome: 'consent-refused', consented: false, placed: false }),
    ];
    const { districts, total } = partnershipReport(['Farsta', 'Bromma', 'Skarpnäck'], rows);
    expect(districts[0]).toEqual({
      district: 'Farsta',
      referrals: 4,
      screenedIn: 3,
      consented: 3,
      placed: 3,
      completed: 2,
      withdrawn: 1,
      attendanceRate: 0.6,
      medianDaysToFirstMeeting: 20,
      weekly: 2,
      weekend: 1,
      childScore: 4,
      carerScore: 4,
    });
    expect(districts[1]).toMatchObject({
      district: 'Bromma',
      referrals: 1,
      screenedIn: 1,
      consented: 0,
      placed: 0,
    });
    expect(districts[2]).toMatchObject({ district: 'Skarpnäck', referrals: 0, attendanceRate: undefined });
    expect(total).toMatchObject({ referrals: 5, completed: 2 });
  });
});

describe("the report's period", () => {
  const partnership = { periodStart: '2017-01-01', periodEnd: '2018-12-31' };
  // 2026-12-31 23:30 UTC is already 2027 in Stockholm.
  const now = new Date('2026-12-31T23:30:00Z');

  it("is the partnership's period when none is asked for, whatever the clock says", () => {
    expect(reportPeriod({}, partnership, now)).toEqual({ ok: true, from: '2017-01-01', to: '2018-12-31' });
    // A cleared date field sends an empty value: the default for that end.
    expect(reportPeriod({ from: '', to: '2017-06-30' }, partnership, now)).toEqual({
      ok: true,
      from: '2017-01-01',
      to: '2017-06-30',
    });
  });

  it('is the current calendar year in Stockholm for a partnership without a period', () => {
    expect(reportPeriod({}, {}, now)).toEqual({ ok: true, from: '2027-01-01', to: '2027-12-31' });
    expect(reportPeriod({}, undefined, new Date('2026-03-14T12:00:00Z'))).toEqual({
      ok: true,
      from: '2026-01-01',
      to: '2026-12-31',
    });
  });

  it('names the field of an invalid date, in Swedish and English, and keeps what was typed', () => {
    const period = reportPeriod({ from: '2017-02-30', to: 'igår' }, partnership, now);
    expect(period).toEqual({
      ok: false,
      from: '2017-02-30',
      to: 'igår',
      errors: { from: REPORT_PERIOD_MESSAGES.from, to: REPORT_PERIOD_MESSAGES.to },
    });
    expect(inLanguage(REPORT_PERIOD_MESSAGES.from, 'sv')).toMatch(/^Ange ett giltigt startdatum/);
    expect(inLanguage(REPORT_PERIOD_MESSAGES.from, 'en')).toMatch(/^Enter a valid start date/);
    expect(reportPeriod({ from: '17-1-1' }, partnership, now)).toMatchObject({
      ok: false,
      errors: { from: REPORT_PERIOD_MESSAGES.from },
    });
  });

  it('refuses a reversed period at the end date, and one too long to chart', () => {
    expect(reportPeriod({ from: '2018-02-01', to: '2018-01-31' }, partnership, now)).toEqual({
      ok: false,
      from: '2018-02-01',
      to: '2018-01-31',
      errors: { to: REPORT_PERIOD_MESSAGES.reversed },
    });
    expect(inLanguage(REPORT_PERIOD_MESSAGES.reversed, 'en')).toContain('before the start date');
    expect(reportPeriod({ from: '2018-01-31', to: '2018-01-31' }, partnership, now).ok).toBe(true);
    expect(reportPeriod({ from: '2000-01-01', to: '2018-01-31' }, partnership, now)).toMatchObject({
      ok: false,
      errors: { from: REPORT_PERIOD_MESSAGES.tooLong },
    });
  });
});

describe('funnel and monthly trend', () => {
  const rows = [
    row({ createdAt: '2017-01-05T10:00:00Z', outcome: 'completed' }),
    // 23:30 UTC on 31 January is 1 February in Stockholm.
    row({ createdAt: '2017-01-31T23:30:00Z', outcome: 'completed' }),
    row({ createdAt: '2017-02-10T10:00:00Z', placed: false }),
    row({ createdAt: '2017-04-01T10:00:00Z', consented: false, placed: false }),
    row({ createdAt: '2017-04-02T10:00:00Z', screenedIn: false, consented: false, placed: false }),
  ];

  it('counts the referrals reaching each stage, with their share of all referred', () => {
    const { total } = partnershipReport(['Farsta'], rows);
    expect(referralFunnel(total)).toEqual([
      { stage: 'referrals', count: 5, share: 1 },
      { stage: 'screenedIn', count: 4, share: 0.8 },
      { stage: 'consented', count: 3, share: 0.6 },
      { stage: 'placed', count: 2, share: 0.4 },
      { stage: 'completed', count: 2, share: 0.4 },
    ]);
    expect(referralFunnel(partnershipReport(['Farsta'], []).total)[0]).toEqual({
      stage: 'referrals',
      count: 0,
      share: undefined,
    });
  });

  it('counts referrals per Stockholm month, empty months included, up to the current month', () => {
    const now = new Date('2017-05-20T12:00:00Z');
    expect(monthlyTrend(rows, '2017-01-01', '2018-12-31', now)).toEqual([
      { month: '2017-01', referrals: 1 },
      { month: '2017-02', referrals: 2 },
      { month: '2017-03', referrals: 0 },
      { month: '2017-04', referrals: 2 },
      { month: '2017-05', referrals: 0 },
    ]);
    // A period in the past runs to its own end.
    expect(monthlyTrend(rows, '2017-01-01', '2017-03-31', new Date('2026-01-01T00:00:00Z'))).toHaveLength(3);
  });
});

// ---- Against luxon, which computed the period and the trend before stockholm-dates did -----------------

const ZONE = 'Europe/Stockholm';
const MAX_YEARS = 10;

/** reportPeriod as it was with luxon (its zod schema written out: trim, then the form and luxon's check). */
function luxonReportPeriod(
  query: { from?: string; to?: string },
  partnership: { periodStart?: string; periodEnd?: string } | undefined,
  now: Date,
) {
  const year = DateTime.fromJSDate(now).setZone(ZONE);
  const defaults = {
    from: partnership?.periodStart || year.startOf('year').toISODate()!,
    to: partnership?.periodEnd || year.endOf('year').toISODate()!,
  };
  const valid = (v?: string) =>
    v === undefined ||
    v.trim() === '' ||
    (/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) && DateTime.fromISO(v.trim()).isValid);
  const errors: Partial<Record<'from' | 'to', string>> = {};
  if (!valid(query.from)) errors.from = REPORT_PERIOD_MESSAGES.from;
  if (!valid(query.to)) errors.to = REPORT_PERIOD_MESSAGES.to;
  if (errors.from || errors.to) return { ok: false, from: query.from ?? '', to: query.to ?? '', errors };
  const from = query.from?.trim() || defaults.from;
  const to = query.to?.trim() || defaults.to;
  if (to < from) return { ok: false, from, to, errors: { to: REPORT_PERIOD_MESSAGES.reversed } };
  if (DateTime.fromISO(from).plus({ years: MAX_YEARS }) <= DateTime.fromISO(to))
    return { ok: false, from, to, errors: { from: REPORT_PERIOD_MESSAGES.tooLong } };
  return { ok: true, from, to };
}

/** monthlyTrend as it was with luxon. */
function luxonMonthlyTrend(rows: Pick<ReportRow, 'createdAt'>[], from: string, to: string, now: Date) {
  const first = DateTime.fromISO(from, { zone: ZONE }).startOf('month');
  const thisMonth = DateTime.fromJSDate(now).setZone(ZONE).startOf('month');
  const periodEnd = DateTime.fromISO(to, { zone: ZONE }).startOf('month');
  const last = periodEnd > thisMonth && thisMonth >= first ? thisMonth : periodEnd;
  const counts = new Map<string, number>();
  for (const r of rows) {
    const month = DateTime.fromISO(r.createdAt).setZone(ZONE).toFormat('yyyy-MM');
    counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  const months: { month: string; referrals: number }[] = [];
  for (let m = first; m <= last; m = m.plus({ months: 1 })) {
    const month = m.toFormat('yyyy-MM');
    months.push({ month, referrals: counts.get(month) ?? 0 });
  }
  return months;
}

const text = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
/** Dates as typed: mostly real ones, around 29 February and month ends too, and some that do not exist. */
const typedDate = (years: { min: number; max: number }) =>
  fc
    .tuple(fc.integer(years), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
    .map(([y, m, d]) => text(y, m, d));
const realDate = (years: { min: number; max: number }) =>
  typedDate(years).filter((t) => DateTime.fromISO(t).isValid);
/** Moments from 2024 to 2035, and the minutes around Stockholm's new year and its months' starts. */
const now = fc.oneof(
  fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2035, 11, 31, 23, 59, 59, 999) }),
  fc
    .tuple(
      fc.integer({ min: 2024, max: 2035 }),
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: -150, max: 150 }),
    )
    .map(
      ([y, m, minutes]) =>
        DateTime.fromObject({ year: y, month: m + 1 }, { zone: ZONE }).toMillis() + minutes * 60_000,
    ),
);

describe('the period and the trend, as luxon computed them', () => {
  it('accept, default and refuse the same periods, ten years from 29 February and year 0000 too', () => {
    const period = fc.oneof(
      fc.record({ from: typedDate({ min: 0, max: 9999 }), to: typedDate({ min: 0, max: 9999 }) }),
      // Periods around ten years long, from any day (29 February, month ends).
      fc.tuple(realDate({ min: 0, max: 9989 }), fc.integer({ min: -40, max: 40 })).map(([from, days]) => ({
        from,
        to: DateTime.fromISO(from, { zone: 'UTC' }).plus({ years: MAX_YEARS, days }).toISODate()!,
      })),
      fc.record({
        from: fc.constantFrom(
          undefined,
          '',
          ' 2024-02-29 ',
          '2023-02-29',
          '0000-02-29',
          '9999-12-31',
          '17-1-1',
        ),
        to: fc.constantFrom(undefined, '', '2034-02-28', '2034-02-27', '9999-12-31', 'igår'),
      }),
    );
    const partnership = fc.constantFrom(
      undefined,
      {},
      { periodStart: '2017-01-01', periodEnd: '2018-12-31' },
    );
    const property = fc.property(period, partnership, now, (query, p, at) => {
      const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
      expect(reportPeriod(q, p, new Date(at)), JSON.stringify([q, p, at])).toEqual(
        luxonReportPeriod(q, p, new Date(at)),
      );
    });
    const tz = process.env.TZ;
    try {
      // luxon read the period's dates in the process's zone (UTC in Lambda).
      for (const zone of ['UTC', 'Europe/Stockholm']) {
        process.env.TZ = zone;
        fc.assert(property, { numRuns: 3000 });
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('count the same months, across DST and new year, to the same last month', () => {
    const createdAt = now.map((ms) => new Date(ms).toISOString());
    const years = { min: 2022, max: 2037 };
    fc.assert(
      fc.property(
        fc.array(fc.record({ createdAt }), { maxLength: 30 }),
        realDate(years),
        realDate(years),
        now,
        (rows, a, b, at) => {
          const [from, to] = [a, b].sort() as [string, string];
          expect(monthlyTrend(rows, from, to, new Date(at)), `${from} – ${to} at ${at}`).toEqual(
            luxonMonthlyTrend(rows, from, to, new Date(at)),
          );
        },
      ),
      { numRuns: 2000 },
    );
    for (const [from, to] of [
      ['9999-11-01', '9999-12-31'],
      ['0000-01-01', '0000-03-01'],
      ['2026-03-31', '2026-03-01'],
    ] as const) {
      const at = new Date('2026-12-01T11:00:00Z');
      expect(monthlyTrend([], from, to, at), `${from} – ${to}`).toEqual(luxonMonthlyTrend([], from, to, at));
    }
  });
});
