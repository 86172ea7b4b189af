/**
 * Every email once per notification or step entry; and where a crash falls in the one window that forces a
 * repeat — after the mail server accepted the email, before the sender recorded it — the repeat carries the
 * very same link, and that link works. Here the process "dies" at exactly that record (every DynamoDB call
 * fails from then on), is stopped and started again on the same data, and resumes the step.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksIn, type MailboxMessage } from '../../infra/local/mailbox';
import { identityNumber } from '../../infra/local/simulated-people';
import type { LocalSystem } from '../../infra/local/system';
import { dieAt as crashAt, systemOnDisk, type DbCommand } from '../support/crash';
import { get, postForm, referenceFrom, referralForm } from '../support/local';

const disk = systemOnDisk('bris-email-once-');
let system: LocalSystem;

const start = async () => {
  system = await disk.start();
};
beforeAll(start);
afterAll(async () => {
  await system?.stop();
  disk.remove();
});

type Command = DbCommand;
const update = (c: Command) => String(c.input.UpdateExpression ?? '');
const key = (c: Command) => (c.input.Key ?? {}) as { PK?: string; SK?: string };
const sortKey = (c: Command) => String(key(c).SK ?? '');
/** The items a BatchWriteItem puts (a step's sent mark is written whole, with the event that records it). */
const batchPuts = (c: Command) =>
  Object.values(
    (c.input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Record<string, unknown> } }[]>,
  )
    .flat()
    .flatMap((r) => (r.PutRequest ? [r.PutRequest.Item] : []));

const dieAt = (matches: (c: Command) => boolean) => crashAt(system, matches);

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Dies at the record, then starts again on the same data; the resumed step sends its email again. */
async function crashAtRecord(matches: (c: Command) => boolean, act: () => Promise<void>): Promise<void> {
  const died = dieAt(matches);
  await act();
  await until('the process died at the record', died);
  await system.stop();
  await start();
}

const copies = (match: (m: MailboxMessage) => boolean) => system.mailbox.list().filter(match);

let serial = 0;
async function submitted(): Promise<string> {
  serial += 1;
  const born = DateTime.fromJSDate(system.clock.now()).minus({ years: 9, days: serial });
  const res = await postForm(
    `${system.url}/referrals`,
    referralForm({
      identityNumber: identityNumber(born.toFormat('yyMMdd'), 900 + serial),
      custodian1Email: `once${serial}@example.org`,
    }),
  );
  expect(res.status).toBe(201);
  return referenceFrom(res.text);
}

/** Two copies, each with the same links, and the first link opens its page. */
async function expectSameLinkTwice(match: (m: MailboxMessage) => boolean): Promise<string> {
  await until('the repeat', () => copies(match).length >= 2);
  const both = copies(match);
  expect(both).toHaveLength(2);
  expect(both[1]!.repeatOf).toBe(both[0]!.id);
  expect(linksIn(both[1]!)).toEqual(linksIn(both[0]!));
  expect(linksIn(both[0]!).length).toBeGreaterThan(0);
  const link = linksIn(both[0]!)[0]!;
  expect((await get(link)).status).toBe(200);
  return link;
}

describe('a crash after the mail server took the email, before it was recorded', () => {
  it('sends a step request again with the same working link, and the step is answered through it', async () => {
    let reference = '';
    await crashAtRecord(
      (c) => batchPuts(c).some((item) => item.SK === 'STEP#screening' && item.emailSentAt !== undefined),
      async () => {
        reference = await submitted();
      },
    );
    const isRequest = (m: MailboxMessage) => m.template === 'screening-request' && m.text.includes(reference);
    const link = await expectSameLinkTwice(isRequest);
    const answer = await postForm(link, { action: 'approve' });
    expect(answer.status).toBe(200);
    await until('consent asked', async () =>
      (await system.deps.store.listAudit(reference)).some((e) => e.action === 'consent-round-started'),
    );
    // Nothing more: the step was recorded as sent by the resumed attempt.
    expect(copies(isRequest)).toHaveLength(2);
  });

  it('sends a notification again with the same withdrawal link (the receipt)', async () => {
    let reference = '';
    await crashAtRecord(
      // The receipt has one sender and an audit event: the event, written once it went out, is its record.
      (c) => (c.input.Item as { SK?: string } | undefined)?.SK === 'AUDIT#once#notify-intake-received',
      async () => {
        reference = await submitted();
      },
    );
    await expectSameLinkTwice((m) => m.template === 'intake-received' && m.text.includes(reference));
  });

  it('sends a consent reminder again with the same link; the request before it no longer works', async () => {
    const reference = await submitted();
    const request = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(reference),
    );
    expect((await postForm(linksIn(request)[0]!, { action: 'approve' })).status).toBe(200);
    const custodian = (await system.deps.store.getReferral(reference))!.custodians[0]!.email!;
    const consent = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes(custodian),
    );
    await until('the request recorded as sent', async () =>
      Boolean((await system.deps.store.getStep(reference, 'consent', 1))?.emailSentAt),
    );
    await crashAtRecord(
      // This referral's: the other tests' referrals have reminders due too.
      (c) =>
        update(c).includes('emailSentAt') &&
        sortKey(c) === 'STEP#consent#1' &&
        key(c).PK === `REFERRAL#${reference}`,
      // Through the dev endpoint, which saves the moved clock: the restarted system goes on from there.
      async () => void (await postForm(`${system.url}/dev/clock/advance`, { days: '4' })),
    );
    const link = await expectSameLinkTwice(
      (m) => m.template === 'consent-reminder' && m.to.includes(custodian),
    );
    expect((await get(linksIn(consent)[0]!)).status).toBe(410);
    expect(link).not.toBe(linksIn(consent)[0]);
  });
});
