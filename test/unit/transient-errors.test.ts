/**
 * A throttled SES send must end in Referral.Transient (which every task's Retry covers), not in an
 * error the workflow catches into needs-attention.
 */
import { SESv2Client, TooManyRequestsException, MessageRejected } from '@aws-sdk/client-sesv2';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { SesEmailSender } from '../../functions/adapters/email-ses';
import type { Dependencies } from '../../functions/ports';
import { provideDependencies } from '../../functions/shared/dependencies';
import { isTransient } from '../../functions/shared/errors';
import { taskHandler } from '../../functions/shared/task-handler';
import { TRANSIENT_ERRORS } from '../../workflows/referral-states';

/** An SES client whose every send fails with `error`, as the SDK would throw it. */
function sesFailingWith(error: Error): SESv2Client {
  const client = new SESv2Client({ region: 'eu-north-1' });
  client.send = (() => Promise.reject(error)) as SESv2Client['send'];
  return client;
}

const message = {
  to: 'siv@farsta.example',
  subject: 'Ämne',
  text: 'text',
  html: '<p>text</p>',
  template: 'test',
  language: 'sv' as const,
};

/** Runs a task handler whose use case sends one email through the SES adapter. */
async function taskSendingWith(client: SESv2Client): Promise<unknown> {
  provideDependencies({
    email: new SesEmailSender(client, 'stodgrupper@bris.example', 'bris-referrals-dev'),
    log: { info() {}, warn() {}, error() {} },
    metrics: { count() {}, flush() {} },
  } as unknown as Dependencies);
  const handler = taskHandler(
    z.object({ referralId: z.string() }),
    async (_input, deps) => {
      await deps.email.send(message);
      return 'sent';
    },
    {},
  );
  return handler({ referralId: 'r1' }, {} as Context);
}

afterEach(() => provideDependencies(undefined));

describe('a throttled email', () => {
  it('SES TooManyRequestsException (sending rate exceeded) fails the task with the retried error', async () => {
    const throttled = new TooManyRequestsException({ message: 'Too many requests', $metadata: {} });
    expect(isTransient(throttled)).toBe(true);
    const failure = await taskSendingWith(sesFailingWith(throttled)).catch((e: unknown) => e as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('Referral.Transient');
    expect(TRANSIENT_ERRORS).toContain((failure as Error).name);
  });

  it('any 429 and the usual throttling names count as transient; a rejected message does not', async () => {
    expect(isTransient({ name: 'Whatever', $metadata: { httpStatusCode: 429 } })).toBe(true);
    for (const name of ['ThrottlingException', 'ProvisionedThroughputExceededException', 'Throttling'])
      expect(isTransient({ name }), name).toBe(true);
    const rejected = new MessageRejected({ message: 'Email address is not verified', $metadata: {} });
    expect(isTransient(rejected)).toBe(false);
    const failure = await taskSendingWith(sesFailingWith(rejected)).catch((e: unknown) => e as Error);
    expect((failure as Error).name).toBe('MessageRejected');
  });
});
