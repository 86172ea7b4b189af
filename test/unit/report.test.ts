import { describe, expect, it } from 'vitest';
import { partnershipReport, type ReportRow } from '../../functions/domain/report';

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
