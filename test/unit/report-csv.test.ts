/** The report's CSV as Swedish Excel opens it: a byte order mark, `;` between fields, Swedish headers. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { districtFigures, type ReportRow } from '../../functions/domain/report';
import { reportCsv } from '../../functions/phases/staff/pages';

const row = (over: Partial<ReportRow>): ReportRow => ({
  district: 'Östermalm',
  createdAt: '2017-01-01T00:00:00Z',
  screenedIn: true,
  consented: true,
  placed: true,
  ...over,
});
const rows = [
  row({ outcome: 'completed', format: 'weekly', attended: 7, scheduled: 8 }),
  row({ outcome: 'withdrawn', format: 'weekend', attended: 1, scheduled: 4 }),
];
const districts = [districtFigures('Östermalm', rows), districtFigures('Hägersten-Älvsjö', [])];
const total = districtFigures('Totalt', rows);

describe('the report as CSV', () => {
  it('starts with the UTF-8 byte order mark and separates fields with semicolons', () => {
    const bytes = Buffer.from(reportCsv('sv', districts, total), 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\n')[0]).toBe(
      'Stadsdelsområde;Anmälda;Godkända;Samtycke;Placerade;Genomförda;Återkallade;Närvaro;Median dagar till första träff;Veckogrupp;Stödhelg;Barnens snitt (1–5);Familjehemmens snitt (1–5)',
    );
    // "Östermalm" as UTF-8 bytes, not mangled.
    expect(bytes.includes(Buffer.from([0xc3, 0x96]))).toBe(true);
  });

  it('parses back to the figures, with Swedish decimal commas', () => {
    const records = parse(reportCsv('sv', districts, total), {
      bom: true,
      delimiter: ';',
      columns: true,
    }) as Record<string, string>[];
    expect(records.map((r) => r['Stadsdelsområde'])).toEqual(['Östermalm', 'Hägersten-Älvsjö', 'Totalt']);
    expect(records[0]).toMatchObject({ Anmälda: '2', Genomförda: '1', Återkallade: '1', Närvaro: '0,667' });
    expect(records[1]).toMatchObject({ Anmälda: '0', Närvaro: '' });
  });

  it('has English headers and decimal points for someone who chose English', () => {
    const records = parse(reportCsv('en', districts, total), {
      bom: true,
      delimiter: ';',
      columns: true,
    }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([
      'City district',
      'Referred',
      'Approved',
      'Consent',
      'Placed',
      'Completed',
      'Withdrawn',
      'Attendance',
      'Median days to first meeting',
      'Weekly group',
      'Support weekend',
      "Children's average (1–5)",
      "Family homes' average (1–5)",
    ]);
    expect(records.map((r) => r['City district'])).toEqual(['Östermalm', 'Hägersten-Älvsjö', 'Total']);
    expect(records[0]).toMatchObject({ Referred: '2', Attendance: '0.667' });
  });
});
