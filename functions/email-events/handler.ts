/**
 * SES bounce and complaint events of the configuration set, through its SNS topic (infra: stateless
 * stack). Each record is checked with zod: what is not a permanent bounce or a complaint of ours is
 * logged (codes only) and skipped, never thrown, so a strange message cannot make SNS retry it for ever;
 * a failure while recording one (DynamoDB, SES) throws, and Lambda's asynchronous retries run it again
 * (recording is idempotent).
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { dependenciesWith } from '../shared/dependencies';
import { loggedInvocation } from '../shared/invocation-log';
import { recordEmailEvent, type EmailEvent, type EmailEventResult } from '../kernel/undeliverable-email';
import { askSocialWorkerForCustodian } from '../phases/consent/undeliverable-consent';
import { sesEmail } from '../adapters/email-ses';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

/** The adapters of this function: the AWS ones it uses (infra/functions-catalog.ts). */
const dependencies = dependenciesWith({ email: sesEmail, identityKey: secretsManagerIdentityKey });

const recipients = z
  .array(z.object({ emailAddress: z.string().check(z.minLength(3)) }))
  .check(z.minLength(1));
const mail = z.object({
  messageId: z.string().check(z.minLength(1)),
  // SES event publishing gives each tag as a list of values.
  tags: z.optional(z.record(z.string(), z.array(z.string()))),
});
/** The SES event (configuration set event publishing) inside an SNS message. */
export const sesEventSchema = z.discriminatedUnion('eventType', [
  z.object({
    eventType: z.literal('Bounce'),
    mail,
    bounce: z.object({ bounceType: z.string(), bouncedRecipients: recipients }),
  }),
  z.object({
    eventType: z.literal('Complaint'),
    mail,
    complaint: z.object({ complainedRecipients: recipients }),
  }),
]);
export const snsEventSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ MessageId: z.optional(z.string()), Message: z.string() }) })),
});

const REFERRAL_ID = /^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/** The email event of one SNS message, or why it is skipped (a code, nothing from the message). */
export function emailEventOf(message: string): EmailEvent | { skipped: string } {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { skipped: 'not-json' };
  }
  const parsed = sesEventSchema.safeParse(json);
  if (!parsed.success) return { skipped: 'not-a-bounce-or-complaint' };
  const e = parsed.data;
  // A transient bounce (mailbox full, out of office) is retried by SES itself: the address works.
  if (e.eventType === 'Bounce' && e.bounce.bounceType !== 'Permanent') return { skipped: 'transient-bounce' };
  const referralId = e.mail.tags?.referral?.[0];
  return {
    kind: e.eventType === 'Bounce' ? 'bounce' : 'complaint',
    messageId: e.mail.messageId,
    recipients: (e.eventType === 'Bounce'
      ? e.bounce.bouncedRecipients
      : e.complaint.complainedRecipients
    ).map((r) => r.emailAddress),
    referralId: referralId && REFERRAL_ID.test(referralId) ? referralId : undefined,
    template: e.mail.tags?.template?.[0],
  };
}

const recordEvents = middy<unknown, (EmailEventResult | string)[], Error, Context>().handler(
  async (event) => {
    const deps = dependencies();
    const sns = snsEventSchema.safeParse(event);
    if (!sns.success) {
      deps.log.warn('email event skipped', { reason: 'not-an-sns-event' });
      return ['skipped'];
    }
    const results: (EmailEventResult | string)[] = [];
    for (const record of sns.data.Records) {
      const emailEvent = emailEventOf(record.Sns.Message);
      if ('skipped' in emailEvent) {
        deps.log.warn('email event skipped', { reason: emailEvent.skipped });
        results.push(emailEvent.skipped);
        continue;
      }
      const result = await recordEmailEvent(deps, emailEvent, askSocialWorkerForCustodian);
      deps.log.info('email event recorded', {
        kind: emailEvent.kind,
        result,
        referralId: emailEvent.referralId,
        template: emailEvent.template,
      });
      results.push(result);
    }
    return results;
  },
);

// Its lines carry the request id like every function's, and its bounce/complaint counts are flushed.
export const handler = loggedInvocation(
  dependencies,
  () => ({}),
  (event: unknown, context: Context) => recordEvents(event, context),
  { startAndEnd: false },
);
