/**
 * DynamoDB TTL on the short-lived items, locally: staff sessions, sign-in links (and their reference) and
 * submission records carry the TTL attribute the synthesized table enables; the child lock and the
 * referral's own items never do; and the local runtime deletes an item once its clock passes the TTL, as
 * DynamoDB does in AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBMISSION_TTL_SECONDS, TIME_TO_LIVE_ATTRIBUTE } from '../../functions/adapters/time-to-live';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { tableDefinition } from '../../infra/local/template';
import { synthesizedTemplates } from '../../infra/local/synth';
import { childId, postForm, submitReferral } from '../support/local';

let system: LocalSystem;
let db: DynamoDBDocumentClient;
let referralId: string;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: system.deps.config.dynamodbEndpoint,
      region: 'eu-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  referralId = await submitReferral(system, { identityNumber: childId(12, system.clock.now()) });
  // A coordinator signs in: a sign-in link, then a session.
  const mark = system.mailbox.list().at(-1)?.id ?? 0;
  await postForm(`${system.url}/staff/sign-in`, { email: 'samordnare@bris.example' });
  const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in', { afterId: mark });
  const link = /https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  const res = await fetch(link, { method: 'POST', redirect: 'manual' });
  expect(res.status).toBe(303);
});
afterAll(async () => {
  db?.destroy();
  await system?.stop();
});

/** Test-only look at the whole table (the functions never Scan). */
async function items(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: system.deps.config.tableName, ExclusiveStartKey: start }),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

const epoch = (iso: unknown) => Math.ceil(Date.parse(String(iso)) / 1000);

describe('TTL on short-lived items', () => {
  it('the synthesized table enables TTL on the attribute the store writes', async () => {
    const { templates } = await synthesizedTemplates();
    expect(tableDefinition(templates).timeToLiveAttribute).toBe(TIME_TO_LIVE_ATTRIBUTE);
  });

  it('sessions, sign-in links and submissions carry it; the child lock and the referral never do', async () => {
    const all = await items();
    const of = (entity: string) => all.filter((i) => i.entity === entity);
    const [session] = of('session');
    expect(session?.[TIME_TO_LIVE_ATTRIBUTE]).toBe(epoch(session?.expiresAt));

    const signIn = of('link').filter((l) => l.step === 'sign-in');
    expect(signIn).toHaveLength(1);
    expect(signIn[0]![TIME_TO_LIVE_ATTRIBUTE]).toBe(epoch(signIn[0]!.expiresAt) + 24 * 3600);
    // One item per link: no reference under the referral is left behind when the link expires.
    expect(all.filter((i) => String(i.SK).startsWith('LINKREF#'))).toEqual([]);

    const submission = of('submission').find((s) => s.referralId === referralId)!;
    expect(submission[TIME_TO_LIVE_ATTRIBUTE]).toBe(epoch(submission.at) + SUBMISSION_TTL_SECONDS);
    expect(SUBMISSION_TTL_SECONDS).toBeGreaterThanOrEqual(24 * 3600);

    // The referral's own items (its links, steps, audit) are erased with it, and the child lock must hold
    // for as long as the referral is active: none of them expire.
    const untouched = all.filter(
      (i) =>
        String(i.PK).startsWith('CHILD#') ||
        String(i.PK) === `REFERRAL#${referralId}` ||
        (i.entity === 'link' && i.step !== 'sign-in'),
    );
    expect(untouched.some((i) => String(i.PK).startsWith('CHILD#'))).toBe(true);
    for (const item of untouched)
      expect(item[TIME_TO_LIVE_ATTRIBUTE], `${String(item.PK)} ${String(item.SK)}`).toBeUndefined();
  });

  it('an expired session disappears once its clock passes it; a live one stays', async () => {
    // Sessions last in a person's time (the wall clock); submissions in the programme's.
    const now = system.wallClock.now();
    const hours = (h: number) => new Date(now.getTime() + h * 3_600_000).toISOString();
    const base = { email: 'samordnare@bris.example', name: 'Samordnare', role: 'coordinator' as const };
    await system.deps.store.putSession('ttl-test-short', { ...base, expiresAt: hours(2) });
    await system.deps.store.putSession('ttl-test-long', { ...base, expiresAt: hours(26) });
    const raw = (id: string) =>
      db
        .send(
          new GetCommand({
            TableName: system.deps.config.tableName,
            Key: { PK: `SESSION#${id}`, SK: 'SESSION' },
          }),
        )
        .then((r) => r.Item);

    expect(await system.sweepExpiredItems()).toBe(0);
    expect(await raw('ttl-test-short')).toBeDefined();

    // Days of the programme's clock do not end a person's session.
    system.clock.advance(2 * 3_600_000);
    expect(await system.sweepExpiredItems()).toBe(0);
    expect(await raw('ttl-test-short')).toBeDefined();
    // Three hours of hers later the sweep (once per simulated hour, by itself) has deleted it.
    system.wallClock.advance(3 * 3_600_000);
    system.clock.advance(3 * 3_600_000);
    await expect.poll(() => raw('ttl-test-short')).toBeUndefined();
    expect(await raw('ttl-test-long')).toBeDefined();
    // The submission record outlives a day's double submissions, then goes too.
    const submissionKey = { PK: expect.stringMatching(/^SUBMISSION#/) as unknown, referralId };
    expect((await items()).filter((i) => i.entity === 'submission' && i.referralId === referralId)).toEqual([
      expect.objectContaining(submissionKey),
    ]);
    system.clock.advance(25 * 3_600_000);
    system.wallClock.advance(25 * 3_600_000);
    await expect
      .poll(async () =>
        (await items()).filter((i) => i.entity === 'submission' && i.referralId === referralId),
      )
      .toEqual([]);
    expect(await raw('ttl-test-long')).toBeUndefined();
    // The child lock stays: the referral is still active.
    expect((await items()).some((i) => String(i.PK).startsWith('CHILD#'))).toBe(true);
  });
});
