/**
 * The partnership report over HTTP: its default period is the partnership's (not the simulated clock's
 * month), date filters answer a wrong period at the field with a 400 (never a default, never a 5xx), and
 * the CSV opens in Swedish Excel (BOM, `;`, Swedish headers; English for someone who chose English).
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { childId, postForm, submitReferral } from '../support/local';

const DAY = 86_400_000;
let system: LocalSystem;
let cookie: string;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  await submitReferral(system, {
    identityNumber: childId(10, system.clock.now()),
    childFirstName: 'Ögla',
    district: 'Östermalm',
  });
  const mark = system.mailbox.list().at(-1)?.id ?? 0;
  await postForm(`${system.url}/staff/sign-in`, { email: 'samordnare@bris.example' });
  const mail = await system.mailbox.waitFor(
    (m) => m.template === 'staff-sign-in' && m.to.includes('samordnare@bris.example'),
    { afterId: mark },
  );
  const link = /https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  const res = await fetch(link, { method: 'POST', redirect: 'manual' });
  cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
});
afterAll(async () => {
  await system?.stop();
});

const get = async (path: string) => {
  const res = await fetch(`${system.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
};
/** The page's HTML with its white space folded, as attributes and cells are written over several lines. */
const pageText = (bytes: Buffer) => bytes.toString('utf8').replace(/\s+/g, ' ');

describe('the report over HTTP', () => {
  it("covers the partnership's period by default, also after the clock has moved on", async () => {
    const partnership = await system.deps.store.getPartnership(system.deps.config.partnershipId);
    const { periodStart, periodEnd } = partnership!;
    system.clock.advance(40 * DAY);
    const { res, bytes } = await get('/staff/report');
    expect(res.status).toBe(200);
    const html = pageText(bytes);
    expect(html).toContain(`<input type="date" id="from" name="from" value="${periodStart}"`);
    expect(html).toContain(`<input type="date" id="to" name="to" value="${periodEnd}"`);
    // The referral made 40 simulated days ago still counts: in the funnel's description and the table.
    expect(html).toMatch(/<desc id="funnel-desc">Anmälda: 1 \(100 %\)/);
    expect(html).toContain('<th scope="row">Östermalm</th> <td>1</td>');
    expect(html).toContain('role="region" aria-labelledby="report-table" tabindex="0"');
  });

  it('answers an invalid or reversed period at its field, in Swedish and English, with a 400', async () => {
    const invalid = await get('/staff/report?from=2026-02-30&to=31%2F12');
    expect(invalid.res.status).toBe(400);
    const text = pageText(invalid.bytes);
    expect(text).toContain('Ange ett giltigt startdatum');
    expect(text).toContain('Ange ett giltigt slutdatum');
    expect(text).toContain('value="2026-02-30" aria-invalid="true" aria-describedby="from-error"');
    expect(text).not.toContain('<svg');

    const reversed = await get('/staff/report.csv?from=2026-06-01&to=2026-05-31&lang=en');
    expect(reversed.res.status).toBe(400);
    expect(reversed.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(pageText(reversed.bytes)).toContain('The end date is before the start date');
    expect(pageText(reversed.bytes)).toContain('aria-describedby="to-error"');
    await get('/staff/report?lang=sv');
  });

  it('downloads CSV for Swedish Excel, and with English headers for someone who chose English', async () => {
    const today = system.clock.now().toISOString().slice(0, 10);
    // Five years back from the system's date: a period the report accepts on any date (at most ten years).
    const from = `${Number(today.slice(0, 4)) - 5}-01-01`;
    const sv = await get(`/staff/report.csv?from=${from}&to=${today}`);
    expect(sv.res.status).toBe(200);
    expect(sv.res.headers.get('content-disposition')).toBe(
      `attachment; filename="bris-rapport-${from}-${today}.csv"`,
    );
    expect([...sv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(sv.bytes, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(records.find((r) => r['Stadsdelsområde'] === 'Östermalm')).toMatchObject({ Anmälda: '1' });
    expect(records.at(-1)).toMatchObject({ Stadsdelsområde: 'Totalt', Anmälda: '1' });
    expect(sv.bytes.toString('utf8')).not.toContain('Ögla');

    const en = await get(`/staff/report.csv?from=${from}&to=${today}&lang=en`);
    const english = parse(en.bytes, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(english.at(-1)).toMatchObject({ 'City district': 'Total', Referred: '1' });
    await get('/staff/report?lang=sv');
  });
});
