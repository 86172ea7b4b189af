/**
 * The partnership file (`partnerships/stockholm-bris.json`): valid under the schema the store reads the
 * table item with, a broken copy names the field, `npm run partnership -- check|apply` from the CLI, and the
 * demo seeds the same file with only its period moved.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { parsePartnership, partnershipProblems } from '../../functions/domain/partnership';
import { PARTNERSHIP_FILE, partnershipItem, readPartnershipFile } from '../../infra/partnership-file';
import { demoPartnership } from '../../infra/local/seed';
import { main } from '../../infra/partnership-cli';
import { REPO_ROOT } from '../../infra/local/synth';

const run = promisify(execFile);
// The file's JSON, edited freely by the cases below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const dir = mkdtempSync(join(tmpdir(), 'bris-partnership-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const original = () => JSON.parse(readFileSync(PARTNERSHIP_FILE, 'utf8')) as Json;
function brokenCopy(name: string, change: (p: Json) => void): string {
  const p = original();
  change(p);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(p, null, 2));
  return path;
}

describe('the partnership file', () => {
  it('validates, and is what the store would read back', () => {
    const p = readPartnershipFile(PARTNERSHIP_FILE);
    expect(p.id).toBe('stockholm-bris');
    expect(p.districts).toHaveLength(14);
    expect(parsePartnership(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });

  it.each([
    [
      'a misspelt field',
      (p: Json) => ((p.districs = p.districts), delete p.districts),
      /districts: .*(expected array|Invalid input)/,
    ],
    ['an unknown field', (p: Json) => (p.colour = 'blue'), /colour/],
    [
      'a time that is no time',
      (p: Json) => (p.groups.weeklySlots[0].start = '25:00'),
      /groups\.weeklySlots\.0\.start: expected a time HH:mm/,
    ],
    [
      'a period that runs backwards',
      (p: Json) => (p.periodEnd = '2020-01-01'),
      /periodEnd: ends before periodStart/,
    ],
    [
      'a district nobody has',
      (p: Json) => (p.staff[1].district = 'Farstaa'),
      /staff\.1\.district: "Farstaa" is not one of the partnership's districts/,
    ],
    ['a bad email address', (p: Json) => (p.staff[0].email = 'samordnare'), /staff\.0\.email/],
    [
      'a coordinator off the staff list',
      (p: Json) => (p.coordinator.email = 'ny@bris.example'),
      /coordinator\.email: the coordinator must be on the staff list/,
    ],
  ])('a broken copy with %s is refused, naming the field', (name, change, message) => {
    const path = brokenCopy(name.replace(/\W+/g, '-'), change);
    expect(() => readPartnershipFile(path)).toThrow(message);
    expect(() => readPartnershipFile(path)).toThrow(path);
  });

  it('lists every problem, not only the first', () => {
    const p = original();
    p.ageMin = 'seven';
    p.groups.grouping.maxGroupSize = -1;
    const problems = partnershipProblems(p);
    expect(problems.some((l) => l.startsWith('ageMin: '))).toBe(true);
    expect(problems.some((l) => l.startsWith('groups.grouping.maxGroupSize: '))).toBe(true);
  });

  it('marshals to the very item the store writes (keys, entity, every field)', () => {
    const p = readPartnershipFile(PARTNERSHIP_FILE);
    const item = unmarshall(partnershipItem(p) as never);
    expect(item).toEqual({
      PK: 'PARTNERSHIP#stockholm-bris',
      SK: 'PARTNERSHIP',
      entity: 'partnership',
      ...p,
    });
  });

  it('seeds the demo from the file, with only the period moved around the clock', () => {
    const file = readPartnershipFile(PARTNERSHIP_FILE);
    const demo = demoPartnership(new Date('2041-06-15T12:00:00Z'));
    expect(demo).toEqual({ ...file, periodStart: '2040-01-01', periodEnd: '2042-12-31' });
  });
});

describe('npm run partnership', () => {
  it('check FILE says the file is valid (exit 0) from the command line', async () => {
    const { stdout } = await run(
      'npm',
      ['run', '-s', 'partnership', '--', 'check', 'partnerships/stockholm-bris.json'],
      {
        cwd: REPO_ROOT,
      },
    );
    expect(stdout).toMatch(/valid partnership "stockholm-bris" \(14 districts/);
  }, 60_000);

  it('check FILE names the bad field and exits 1 from the command line', async () => {
    const path = brokenCopy('cli', (p) => (p.consent.deadlineDays = 0));
    const failed = await run('npm', ['run', '-s', 'partnership', '--', 'check', path], {
      cwd: REPO_ROOT,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('consent.deadlineDays: ');
  }, 60_000);

  it('apply without --table, or an unknown command, prints the usage (exit 2)', async () => {
    const lines: string[] = [];
    const out = {
      log: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    } as unknown as Console;
    expect(await main(['apply', PARTNERSHIP_FILE], out)).toBe(2);
    expect(await main(['frobnicate'], out)).toBe(2);
    expect(lines.join('\n')).toContain('--table');
  });
});
