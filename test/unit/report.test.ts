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
