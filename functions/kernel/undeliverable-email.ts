/**
 * An email SES could not deliver (a permanent bounce) or whose recipient complained: the recipient is
 * marked on the referral (by role and number, never the address), it goes on the timeline, and the
 * coordinator (and, for a custodian, the social worker) is told at once, so nobody waits out a deadline for
 * an email that never arrived. Safe to run twice (SNS delivers at least once).
 */
import {
  type Referral,
  type UndeliverableEmail,
  type UndeliverableRecipient,
  undeliverableKey,
} from '../domain/referral';
import { METRICS } from '../shared/metric-names';
import type { Dependencies } from '../ports';
import { renderEmail } from '../web/emails/render';
import { emailUndeliverable } from '../web/emails/undeliverable';
import { audit, notifyOnce } from './audit';
import { coordinatorRecipient, socialWorker } from './referrals';

export interface EmailEvent {
  kind: 'bounce' | 'complaint';
  /** SES's id of the send. */
  messageId: string;
  /** The addresses that bounced or complained (read, compared, never stored). */
  recipients: string[];
  /** The referral tag of the send; absent for a staff member's or a group's email. */
  referralId?: string;
  template?: string;
}

/** A phase's answer to a marked recipient (consent asks the social worker): true when someone is asked. */
export type AfterMarked = (
  deps: Dependencies,
  referral: Referral,
  marked: UndeliverableEmail,
) => Promise<boolean>;

export type EmailEventResult = 'marked' | 'already-marked' | 'no-referral' | 'no-recipient';

export async function recordEmailEvent(
  deps: Dependencies,
  event: EmailEvent,
  afterMarked: AfterMarked = async () => false,
): Promise<EmailEventResult> {
  deps.metrics.count(
    event.kind === 'bounce' ? METRICS.emailsBounced : METRICS.emailsComplained,
    event.recipients.length,
  );
  const referral = event.referralId ? await deps.store.getReferral(event.referralId) : undefined;
  if (!referral || referral.status === 'closed' || !referral.custodians) return 'no-referral';
  const whom = recipientsOf(referral, event.recipients);
  if (!whom.length) return 'no-recipient';
  let result: EmailEventResult = 'already-marked';
  for (const who of whom)
    if ((await markOne(deps, referral.referralId, event, who, afterMarked)) === 'marked') result = 'marked';
  return result;
}

async function markOne(
  deps: Dependencies,
  referralId: string,
  event: EmailEvent,
  who: { role: UndeliverableRecipient; custodian?: number },
  afterMarked: AfterMarked,
): Promise<EmailEventResult> {
  const key = undeliverableKey(who.role, who.custodian);
  const referral = (await deps.store.getReferral(referralId))!;
  const at = deps.clock.now().toISOString();
  const marked: UndeliverableEmail = referral.undeliverable?.[key] ?? {
    ...who,
    kind: event.kind,
    at,
    ...(event.template && /^[a-z0-9-]{1,60}$/.test(event.template) ? { template: event.template } : {}),
  };
  if (!referral.undeliverable?.[key])
    await deps.store.updateReferral(referralId, {
      undeliverable: { ...referral.undeliverable, [key]: marked },
      updatedAt: at,
    });
  // Keyed by the send: a repeat of this event is the same event on the timeline.
  await audit(
    deps,
    {
      referralId,
      actor: { role: 'system' },
      action: 'email-undeliverable',
      detail: {
        recipientRole: who.role,
        ...(who.custodian ? { custodian: String(who.custodian) } : {}),
        emailEvent: event.kind,
      },
    },
    `undeliverable-${key}-${event.messageId}`,
  );
  const fresh = (await deps.store.getReferral(referralId))!;
  const asksSocialWorker = await afterMarked(deps, fresh, marked);
  const coordinator = await coordinatorRecipient(deps, fresh);
  const told = [coordinator, ...(who.role === 'custodian' ? [socialWorker(fresh)] : [])];
  for (const to of told)
    await notifyOnce(deps, referralId, `undeliverable-${key}-${marked.at}-${to.role}`, () =>
      deps.email.send(
        renderEmail(
          to.email,
          emailUndeliverable(
            fresh,
            { name: to.name, role: to.role as 'coordinator' | 'social-worker', language: to.language },
            who.role === 'custodian' ? { ...marked, ...who } : marked,
            {
              publicBaseUrl: deps.config.publicBaseUrl,
              asksSocialWorker,
            },
          ),
          deps.config.publicBaseUrl,
        ),
      ),
    );
  return referral.undeliverable?.[key] ? 'already-marked' : 'marked';
}

/** Who on the referral has the address: custodians by number, the social worker, the family home. */
function recipientsOf(
  referral: Referral,
  addresses: string[],
): { role: UndeliverableRecipient; custodian?: number }[] {
  const wanted = new Set(addresses.map((a) => a.trim().toLowerCase()));
  const is = (email: string | undefined) => !!email && wanted.has(email.trim().toLowerCase());
  return [
    ...referral.custodians
      .filter((c) => is(c.email))
      .map((c) => ({ role: 'custodian' as const, custodian: c.number })),
    ...(is(referral.socialWorker.email) ? [{ role: 'social-worker' as const }] : []),
    ...(is(referral.carer.email) ? [{ role: 'carer' as const }] : []),
  ];
}
