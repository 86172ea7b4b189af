/**
 * The public referral form mails only the partnership's social services: a social worker's address outside
 * the partnership's `socialServicesDomains` is a field error, and nothing is stored or sent. Custodians and
 * the family home are mailed only after Bris's coordinator has screened the referral.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { CHILD_IDS, onlyLink, postForm, referralForm, submitReferral } from '../support/local';

let system: LocalSystem;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: system.deps.config.dynamodbEndpoint,
      region: 'eu-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
});
afterAll(async () => {
  db?.destroy();
  await system?.stop();
});

/** Test-only look at the whole table (the functions never Scan). */
async function itemKeys(): Promise<string[]> {
  const out: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: system.deps.config.tableName, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) out.push(`${String(item.PK)} ${String(item.SK)}`);
    start = page.LastEvaluatedKey;
  } while (start);
  return out.sort();
}

it('refuses a social worker address outside the partnership’s domains with a field error; nothing stored or sent', async () => {
  const before = await itemKeys();
  for (const socialWorkerEmail of [
    'anyone@gmail.com',
    'siv@stockholm.se.evil.com',
    'siv@evilstockholm.se',
    'siv@edu.stockholm.se',
  ]) {
    const res = await postForm(`${system.url}/referrals`, referralForm({ socialWorkerEmail }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="socialWorkerEmail-error"');
    expect(res.text).toContain('Använd din e-postadress på socialtjänsten (…@stockholm.se');
    // The form keeps what was typed.
    expect(res.text).toContain(`value="${socialWorkerEmail}"`);
  }
  expect(await itemKeys()).toEqual(before);
  expect(system.mailbox.list()).toEqual([]);
});

it('accepts the partnership’s domain in any case', async () => {
  const id = await submitReferral(system, {
    identityNumber: CHILD_IDS[1]!,
    socialWorkerEmail: 'Siv.Svensson@Stockholm.SE',
  });
  const receipt = await system.mailbox.waitFor(
    (m) => m.template === 'intake-received' && m.text.includes(id),
  );
  expect(receipt.to.map((a) => a.toLowerCase())).toEqual(['siv.svensson@stockholm.se']);
});

it('mails custodians and the family home only after the coordinator’s screening', async () => {
  const custodian = 'vh-after-screening@example.org';
  const carer = 'fh-after-screening@example.org';
  const id = await submitReferral(system, {
    identityNumber: CHILD_IDS[2]!,
    custodian1Email: custodian,
    carerEmail: carer,
  });
  const screening = await system.mailbox.waitFor(
    (m) => m.template === 'screening-request' && m.text.includes(id),
  );
  await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
  const toFamily = () =>
    system.mailbox.list().filter((m) => m.to.includes(custodian) || m.to.includes(carer));
  expect(toFamily()).toEqual([]);

  expect((await postForm(onlyLink(screening), { action: 'approve' })).status).toBe(200);
  const consent = await system.mailbox.waitFor(
    (m) => m.template === 'consent-request' && m.to.includes(custodian),
  );
  expect(consent.id).toBeGreaterThan(screening.id);
});
