/**
 * Every log line of one full local lifecycle (form to closed) is JSON; the lines about the referral carry
 * its id; none holds the child's identity number (in any format), a name or an email address from the
 * form; and the metrics the functions wrote are counted on /dev/metrics.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  childId,
  closedAndRetained,
  completeFollowUp,
  confirmGroup,
  get,
  onlyLink,
  poolEmail,
  postForm,
  runGroup,
  submitReferral,
} from '../support/local';

let system: LocalSystem;
const lines: string[] = [];

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true, logLines: (line) => void lines.push(line) });
});
afterAll(async () => {
  await system?.stop();
});

const person = {
  childFirstName: 'Ingeborgina',
  socialWorkerName: 'Sigrun Socialsekreterarsson',
  socialWorkerEmail: 'sigrun@farsta.example',
  custodian1Name: 'Valdemara Vårdnadshavarsdotter',
  custodian1Email: 'valdemara@example.org',
  carerName: 'Filippa Familjehemsson',
  carerEmail: 'filippa@example.org',
};

/** The identity number as people write it: with or without century, with or without the dash or plus. */
function identityFormats(identityNumber: string): string[] {
  const digits = identityNumber.replace(/\D/g, '');
  const full = digits.length === 12 ? digits : `20${digits}`;
  const short = full.slice(2);
  return [
    full,
    short,
    `${full.slice(0, 8)}-${full.slice(8)}`,
    `${short.slice(0, 6)}-${short.slice(6)}`,
    `${short.slice(0, 6)}+${short.slice(6)}`,
  ];
}

describe('the log lines of a whole lifecycle', () => {
  // DUMP_LOG_LINES=<file>: keeps the lines, for a look at what the log says (a sample for the closing note).
  afterAll(() => {
    if (process.env.DUMP_LOG_LINES) writeFileSync(process.env.DUMP_LOG_LINES, lines.join('\n'));
  });
  it('are JSON, carry the referral id, hold no personal data; the metrics add up', async () => {
    const identityNumber = childId(11, system.clock.now(), { minDaysToBirthday: 300 });
    const id = await submitReferral(system, { identityNumber, ...person });

    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    expect((await postForm(onlyLink(screening), { action: 'approve' })).status).toBe(200);
    const consent = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes(person.custodian1Email),
    );
    expect((await postForm(onlyLink(consent), { action: 'consent' })).status).toBe(200);
    const pool = await poolEmail(system, id);
    const confirmed = await confirmGroup(system, onlyLink(pool), [id], { format: 'weekend' });
    expect(confirmed.status).toBe(200);
    await runGroup(system, confirmed.groupId);
    await completeFollowUp(system, id, person.carerEmail);
    expect((await closedAndRetained(system, id))?.status).toBe('SUCCEEDED');

    // Every line parses as JSON.
    expect(lines.length).toBeGreaterThan(50);
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line.slice(0, 200)}`);
      }
    });

    // No identity number of the child in any format, no name and no email address anywhere.
    const forbidden = [
      ...identityFormats(identityNumber),
      ...Object.values(person).filter((v) => !v.includes('@')),
      ...Object.values(person).flatMap((v) => (v.includes('@') ? [v] : v.split(' '))),
    ];
    for (const line of lines) {
      for (const word of forbidden) expect(line, `a log line holds "${word}"`).not.toContain(word);
      expect(line, 'a log line holds an email address').not.toMatch(/[^\s@"]+@[^\s@"]+\.[a-z]+/);
    }

    // Every line about the referral carries its id as a key; its every task did, start to end.
    const logLines = parsed.filter((l) => !('_aws' in l));
    const about = logLines.filter((l, i) => lines[i] !== undefined && JSON.stringify(l).includes(id));
    expect(about.length).toBeGreaterThan(20);
    for (const line of about)
      expect(
        line.referralId === id || line.groupId === confirmed.groupId,
        `line without the referral's key: ${JSON.stringify(line).slice(0, 300)}`,
      ).toBe(true);
    const tasks = logLines.filter((l) => String(l.executionId ?? '').endsWith(`:${id}`));
    expect(tasks.map((l) => l.message)).toContain('task finished');
    for (const line of tasks) expect(line.referralId).toBe(id);
    // The runtime's own lines (an execution ended) are not any invocation's: no request's keys leak in.
    const runtime = logLines.filter((l) => l.service === 'local-runtime');
    expect(runtime.some((l) => l.message === 'execution SUCCEEDED' && l.referralId === id)).toBe(true);
    for (const line of runtime) expect(line).not.toHaveProperty('function_request_id');
    const groupTasks = logLines.filter(
      (l) => l.groupId === confirmed.groupId && l.message === 'task finished',
    );
    expect(groupTasks.length).toBeGreaterThan(0);

    // The metrics: counted on /dev/metrics, written as EMF lines to the same log.
    await expect.poll(() => system.engine.busy).toBe(0);
    const metrics = JSON.parse((await get(`${system.url}/dev/metrics.json`)).text) as Record<string, number>;
    expect(metrics.ReferralsAccepted).toBe(1);
    expect(metrics.StepsEntered).toBeGreaterThanOrEqual(4);
    expect(metrics.NeedsAttention).toBe(0);
    expect(metrics.EmailsSent).toBe(system.mailbox.list().length);
    const emf = parsed.filter((l) => '_aws' in l);
    const sum = (name: string) =>
      emf.reduce((n, l) => n + [l[name] ?? []].flat().reduce((a: number, b) => a + Number(b), 0), 0);
    expect(sum('ReferralsAccepted')).toBe(1);
    expect(sum('StepsEntered')).toBe(metrics.StepsEntered);

    const page = await get(`${system.url}/dev/metrics`);
    expect(page.text).toContain('Mätvärden (lokalt)');
    expect(page.text).toMatch(/<code>ReferralsAccepted<\/code>[\s\S]*?<td>1<\/td>/);
    expect((await get(`${system.url}/dev/metrics?lang=en`)).text).toContain('Referrals accepted');
  });
});
