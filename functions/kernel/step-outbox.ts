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
import { linkUrl } from '../adapters/link-tokens';
import { stepKey, type StepName } from '../domain/steps';
import type { AuditEvent, Dependencies, LinkRecord, StepRecord } from '../ports';
import { withNotificationId } from '../shared/notification-context';

export type LinkFields = Omit<LinkRecord, 'linkHash' | 'createdAt' | 'expiresAt' | 'status'>;
export type MadeLink = { link: LinkRecord; url: string };
/** Makes a link for `fields.step`, valid for `ttlDays` (stored, or to be stored with its step record). */
export type LinkMaker = (fields: LinkFields, ttlDays: number) => Promise<MadeLink>;

/** A new link, not yet stored: a capability for `fields.step`; its URL carries the token, the table its hash. */
export async function mintLink(deps: Dependencies, fields: LinkFields, ttlDays: number): Promise<MadeLink> {
  const now = deps.clock.now();
  const { token, hash } = await deps.linkTokens.mint();
  const link: LinkRecord = {
    ...fields,
    linkHash: hash,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlDays * 86_400_000).toISOString(),
    status: 'open',
  };
  return { link, url: linkUrl(deps.config.publicBaseUrl, token, link) };
}

/** A new link, stored: valid for `ttlDays`; its URL carries the token, the table its hash. */
export async function newLink(deps: Dependencies, fields: LinkFields, ttlDays: number): Promise<MadeLink> {
  const { link, url } = await mintLink(deps, fields, ttlDays);
  // The same entry again (see mailStepLinkOnce) finds its link stored: that one, as it is, goes out again.
  return { link: await deps.store.putLink(link), url };
}

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
  /**
   * Run once the record and its links are stored, before the email goes out (step entry: the referral's
   * phase, read back — the read that must follow the wait's token being stored).
   */
  beforeSend?: () => Promise<void>;
}

/**
 * `makeLinks` makes the step's link (and any other link its email carries, e.g. a withdrawal link) with
 * the maker it is given: for a new entry (a random id, so its derived tokens are new) the links are only
 * minted and written with the step record in one request; for a repeat or a named entry (a reminder) each is
 * stored on its own, never over one that exists (a used or closed link stays so).
 */
export async function mailStepLinkOnce<M extends MadeLink>(
  deps: Dependencies,
  target: StepEntryTarget,
  makeLinks: (make: LinkMaker) => Promise<M>,
  send: (link: LinkRecord, url: string, kind: string, made: M) => Promise<void>,
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

  // A random id no record named before: its derived links cannot exist yet.
  const fresh = target.entry === undefined && !again;
  const minted: LinkRecord[] = [];
  const make: LinkMaker = fresh
    ? async (fields, ttlDays) => {
        const made = await mintLink(deps, fields, ttlDays);
        minted.push(made.link);
        return made;
      }
    : (fields, ttlDays) => newLink(deps, fields, ttlDays);

  return withNotificationId(`${ownerId}.step-${stepKey(step, slot)}-${entry}`, async () => {
    const made = await makeLinks(make);
    const { link, url } = made;
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
    // With the links it names where they are new (one request); a batch is not atomic, but a record whose
    // link is missing is never mailed (the next attempt finds its link gone, and starts a new entry).
    await deps.store.putStep(record, undefined, minted);
    await target.beforeSend?.();
    await send(link, url, kind, made);
    const sentAt = deps.clock.now().toISOString();
    if (target.sentEvent)
      await deps.store.putStep({ ...record, emailSentAt: sentAt }, { ...target.sentEvent, at: sentAt });
    else await deps.store.markStepEmailSent(ownerId, step, slot, sentAt);
    return link;
  });
}
