/**
 * A step's request email, at most once per step entry — and where a crash forces a repeat, the same link.
 *
 * The step record is the outbox: it names the entry (a random id) and its link before the email goes out,
 * and is marked sent after the mail server accepted it. The link's token is derived from the entry (see
 * KeyedLinkTokens), so an attempt that finds its entry unsent — the process died, or the task timed out
 * and was retried, somewhere between writing the record and marking it — sends again under the same entry
 * and the repeat carries the very link of the first copy. A repeat is possible only in that window, and
 * both copies work; no crash can leave the email unsent, because the unsent mark makes the next attempt
 * send it.
 */
import { randomBytes } from 'node:crypto';
import { stepKey, type StepName } from '../domain/steps';
import type { AuditEvent, Dependencies, LinkRecord, StepRecord } from '../ports';
import { withNotificationId } from '../shared/notification-context';

export interface StepEntryTarget {
  /** The referral, or for a group's steps the group id. */
  ownerId: string;
  step: StepName;
  /** The custodian (consent) or the meeting (attendance). */
  slot?: number;
  /** The task that waits for the answer; empty for a link no task waits on yet (a reminder). */
  taskToken: string;
  /** Which email (request, reminder, renewed): a repeat is the same email as the first copy. */
  kind: string;
  /**
   * The entry's id when the caller knows it (a reminder is its own entry, named by round and number);
   * otherwise a new random id, or the unsent entry found in the record.
   */
  entry?: string;
  /** The step is asked anew after an earlier round ended: its clock starts again (a new `since`). */
  newRound?: boolean;
  /**
   * The step record and its link as the caller read them in this attempt, with nothing written to either
   * since (step entry reads both first): read again here they would be the same, so they are not.
   */
  known?: { step: StepRecord | undefined; link: LinkRecord | undefined };
  /**
   * The audit event that records the sent email: written with the record's sent mark, in one request (the
   * record is written whole again, as this attempt wrote it, instead of updated), and only once it went out.
   */
  sentEvent?: Omit<AuditEvent, 'at'>;
}

export async function mailStepLinkOnce(
  deps: Dependencies,
  target: StepEntryTarget,
  makeLink: () => Promise<{ link: LinkRecord; url: string }>,
  send: (link: LinkRecord, url: string, kind: string) => Promise<void>,
): Promise<LinkRecord> {
  const { ownerId, step, slot, taskToken } = target;
  const previous = target.known ? target.known.step : await deps.store.getStep(ownerId, step, slot);
  const previousLink = target.known
    ? target.known.link
    : previous && (await deps.store.getLink(previous.linkHash));
  const usable = previousLink?.status === 'open' && previousLink.expiresAt > deps.clock.now().toISOString();
  const entry =
    target.entry ??
    (previous?.entry && !previous.emailSentAt && usable
      ? previous.entry
      : randomBytes(9).toString('base64url'));
  const again = previous?.entry === entry;
  // This entry went out already (a resumed wait sent it), or its link no longer works (answered, closed):
  // nothing to send.
  if (again && previousLink && (previous.emailSentAt || !usable)) return previousLink;
  const kind = again ? (previous.emailKind ?? target.kind) : target.kind;
  // A repeat of the entry that began a round keeps that round's start (it was written with it).
  const newRound = !!target.newRound && !again;

  return withNotificationId(`${ownerId}.step-${stepKey(step, slot)}-${entry}`, async () => {
    const { link, url } = await makeLink();
    if (taskToken && link.taskToken !== taskToken) await deps.store.bindLinkToken(link.linkHash, taskToken);
    // The link mailed before stops working before the record points elsewhere: a crash in between leaves
    // a record whose (sent) link is closed, so the next attempt starts a new entry, never two open links.
    if (previousLink?.status === 'open' && previousLink.linkHash !== link.linkHash)
      await deps.store.setLinkStatus(previousLink.linkHash, 'superseded');
    const record: StepRecord = {
      referralId: ownerId,
      step,
      custodian: slot,
      linkHash: link.linkHash,
      enteredAt: link.createdAt,
      // A reminder or a renewed link is a new entry of the same step: its clock keeps its start. A new round
      // (the step asked anew after its earlier answer) starts the clock again.
      since: newRound ? link.createdAt : (previous?.since ?? previous?.enteredAt ?? link.createdAt),
      round: newRound ? (previous?.round ?? 1) + 1 : previous?.round,
      entry,
      emailKind: kind,
    };
    await deps.store.putStep(record);
    await send(link, url, kind);
    const sentAt = deps.clock.now().toISOString();
    if (target.sentEvent)
      await deps.store.putStep({ ...record, emailSentAt: sentAt }, { ...target.sentEvent, at: sentAt });
    else await deps.store.markStepEmailSent(ownerId, step, slot, sentAt);
    return link;
  });
}
