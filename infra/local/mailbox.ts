/**
 * The local mailbox: a real SMTP server in the same process. Every email the system sends arrives
 * here over SMTP, is parsed with mailparser, kept on disk, and shown at /dev/mailbox. The SMTP server
 * and the system's SMTP client run on a thread of their own (mail-worker.mjs); this class keeps the
 * record, and the sender is told a message was accepted only once it is recorded here.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SendMailOptions } from 'nodemailer';
import { smtpMessage } from '../../functions/adapters/email-smtp';
import type { EmailMessage, EmailSender } from '../../functions/ports';

export interface MailboxMessage {
  id: number;
  /** Real time of arrival (the crash soak compares it with the real times of its kills). */
  receivedAt: string;
  /** The local system's simulated time at arrival: what the mailbox page shows (absent in older mailboxes). */
  sentAt?: string;
  from: string;
  to: string[];
  subject: string;
  template: string;
  language: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: string }[];
  messageId?: string;
  /** A copy of an earlier message (same Message-ID): the sender died after handing it over, before its record. */
  repeatOf?: number;
  /** The recipient was set to bounce: kept here to be seen, reported as SES reports a permanent bounce. */
  bounced?: boolean;
  /** The referral the send belonged to (the tag SES would give back with a bounce). */
  referralId?: string;
}

/** What SNS gives a subscribed function: one record whose message is the SES event (event publishing). */
export interface SnsEmailEvent {
  Records: { EventSource: 'aws:sns'; Sns: { MessageId: string; Type: 'Notification'; Message: string } }[];
}

/** An SES bounce event (configuration set event publishing), as SNS delivers it. */
export function sesBounceEvent(m: MailboxMessage, addresses: string[]): SnsEmailEvent {
  const tags: Record<string, string[]> = { template: [m.template] };
  if (m.referralId) tags.referral = [m.referralId];
  const message = {
    eventType: 'Bounce',
    mail: {
      timestamp: m.receivedAt,
      messageId: `local-${m.id}`,
      source: m.from,
      destination: m.to,
      tags,
    },
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: addresses.map((emailAddress) => ({
        emailAddress,
        status: '5.1.1',
        action: 'failed',
      })),
      timestamp: m.receivedAt,
      feedbackId: `local-bounce-${m.id}`,
    },
  };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        Sns: { MessageId: `local-sns-${m.id}`, Type: 'Notification', Message: JSON.stringify(message) },
      },
    ],
  };
}

/** What the mail thread read off an arrived message (mail-worker.mjs). */
interface ArrivedMail {
  messageId?: string;
  from: string;
  to: string[];
  subject: string;
  template: string;
  referralId?: string;
  language: string;
  text: string;
  html: string;
  attachments: MailboxMessage['attachments'];
}

type FromMailThread =
  | { port: number }
  | { listenError: string }
  | { arrived: number; mail: ArrivedMail }
  | { sent: number; error?: string; code?: string }
  | { stopped: true };

export class Mailbox {
  private readonly messages: MailboxMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private worker?: Worker;
  /** Sends handed to the mail thread, waiting for their SMTP answer. */
  private readonly sending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private sendSeq = 0;
  /**
   * Repeats kept, as a real inbox keeps them (SES sets its own Message-ID, so nothing downstream drops
   * them): a message whose Message-ID arrived already is stored with `repeatOf` and counted here.
   */
  repeats = 0;
  private readonly firstByMessageId = new Map<string, number>();
  /** Addresses whose email bounces (lower case), set from /dev/mailbox or a test. */
  private readonly bouncing = new Set<string>();
  /** Where a bounce goes: the local runtime invokes the function the SES topic invokes in AWS. */
  onEmailEvent?: (event: SnsEmailEvent) => Promise<unknown>;
  /** Bounce reports handed over and finished (tests wait on them), and the last failure of one. */
  bouncesReported = 0;
  lastBounceError?: string;

  /**
   * `simulatedNow`: the local system's clock, which may run fast or have been moved forward: each message
   * records it beside the real time.
   */
  constructor(
    private readonly file?: string,
    private readonly simulatedNow?: () => Date,
  ) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const message = JSON.parse(line) as MailboxMessage;
          this.messages.push(message);
          this.remember(message);
        } catch {
          // A process killed mid-append leaves a partial last line; that message was never acknowledged.
        }
      }
    }
  }

  async start(port = 0): Promise<number> {
    const worker = new Worker(new URL('./mail-worker.mjs', import.meta.url), { workerData: { port } });
    this.worker = worker;
    const listening = new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      const onMessage = (m: FromMailThread) => {
        if ('listenError' in m) reject(new Error(`The local mailbox could not listen: ${m.listenError}`));
        else if ('port' in m) resolve(m.port);
        else return;
        worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
    });
    worker.on('message', (m: FromMailThread) => this.fromMailThread(m));
    worker.on('error', (error) => this.mailThreadFailed(error));
    let listeningOn: number;
    try {
      listeningOn = await listening;
    } catch (error) {
      // The port is taken (SMTP_PORT): nothing is left running behind the error.
      this.worker = undefined;
      await worker.terminate();
      throw error;
    }
    // Held open only while a send waits for its answer (see send).
    worker.unref();
    return listeningOn;
  }

  /**
   * Sends over SMTP from the mail thread; resolves once the mailbox's server accepted the message (and so
   * once it is recorded here), rejects with the SMTP client's error.
   */
  send(mail: SendMailOptions): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('The local mailbox is not started'));
    const seq = ++this.sendSeq;
    if (this.sending.size === 0) worker.ref();
    return new Promise<void>((resolve, reject) => {
      this.sending.set(seq, { resolve, reject });
      worker.postMessage({ send: seq, mail });
    });
  }

  private fromMailThread(m: FromMailThread): void {
    if ('arrived' in m) {
      try {
        this.arrive(m.mail);
        this.worker?.postMessage({ stored: m.arrived });
      } catch (error) {
        // Not recorded (the disk refused it): the sender is told so, as a server that cannot store it would.
        this.worker?.postMessage({ stored: m.arrived, error: (error as Error).message });
      }
    } else if ('sent' in m) {
      const waiting = this.sending.get(m.sent);
      this.sending.delete(m.sent);
      if (this.sending.size === 0) this.worker?.unref();
      if (!waiting) return;
      if (m.error) waiting.reject(Object.assign(new Error(m.error), m.code ? { code: m.code } : {}));
      else waiting.resolve();
    }
  }

  private mailThreadFailed(error: Error): void {
    for (const { reject } of this.sending.values()) reject(error);
    this.sending.clear();
  }

  private arrive(mail: ArrivedMail): void {
    const repeatOf = mail.messageId ? this.firstByMessageId.get(mail.messageId) : undefined;
    this.add({
      messageId: mail.messageId,
      ...(repeatOf ? { repeatOf } : {}),
      receivedAt: new Date().toISOString(),
      ...(this.simulatedNow ? { sentAt: this.simulatedNow().toISOString() } : {}),
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      template: mail.template,
      ...(mail.referralId ? { referralId: mail.referralId } : {}),
      ...(mail.to.some((a) => this.bouncing.has(a.toLowerCase())) ? { bounced: true } : {}),
      language: mail.language,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments,
    });
  }

  private add(m: Omit<MailboxMessage, 'id'>): void {
    const message = { id: this.messages.length + 1, ...m };
    // On disk first: a message the disk refused is answered with an error, and not kept as arrived.
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, JSON.stringify(message) + '\n');
    }
    this.messages.push(message);
    this.remember(message);
    if (message.bounced) this.reportBounce(message);
    for (const w of this.waiters) w();
  }

  /** From now on, email to this address bounces (permanently, as SES reports it). */
  bounce(address: string): void {
    this.bouncing.add(address.trim().toLowerCase());
  }

  /** Email to the address is delivered again. */
  deliver(address: string): void {
    this.bouncing.delete(address.trim().toLowerCase());
  }

  get bouncingAddresses(): string[] {
    return [...this.bouncing].sort();
  }

  /** After the SMTP answer (SES accepts, then reports the bounce): the same SNS-shaped event, the same handler. */
  private reportBounce(m: MailboxMessage): void {
    const addresses = m.to.filter((a) => this.bouncing.has(a.toLowerCase()));
    const handler = this.onEmailEvent;
    if (!handler) return;
    setImmediate(() => {
      handler(sesBounceEvent(m, addresses))
        .catch((error: Error) => {
          this.lastBounceError = error.message;
        })
        .finally(() => {
          this.bouncesReported++;
          for (const w of this.waiters) w();
        });
    });
  }

  private remember(message: MailboxMessage): void {
    if (message.repeatOf) this.repeats++;
    else if (message.messageId) this.firstByMessageId.set(message.messageId, message.id);
  }

  list(): MailboxMessage[] {
    return [...this.messages];
  }

  /** Messages after id `afterId` (ids are positions from 1, so this is a slice, not a scan). */
  after(afterId: number): MailboxMessage[] {
    return this.messages.slice(Math.max(0, afterId));
  }

  get lastId(): number {
    return this.messages.length;
  }

  get(id: number): MailboxMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  /**
   * Resolves once a message after `afterId` is here ('mail'), `also()` holds ('also': checked as mail
   * arrives and every `checkEveryMs`), or `waitMs` has passed ('waited'): a poller's long poll, so that it
   * asks once per change rather than every few milliseconds.
   */
  nextAfter(
    afterId: number,
    waitMs: number,
    also?: { holds: () => boolean; checkEveryMs?: number },
  ): Promise<'mail' | 'also' | 'waited'> {
    return new Promise((resolve) => {
      const done = (why: 'mail' | 'also' | 'waited') => {
        this.waiters.delete(check);
        clearTimeout(timer);
        clearInterval(ticker);
        resolve(why);
      };
      const check = () => {
        if (this.messages.length > afterId) done('mail');
        else if (also?.holds()) done('also');
      };
      const timer = setTimeout(() => done('waited'), waitMs);
      // Mail wakes the waiter by itself; only `also` needs looking at meanwhile.
      const ticker = also ? setInterval(check, also.checkEveryMs ?? 2) : undefined;
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves with the first message (received after `afterId`) that matches, or rejects after the timeout. */
  waitFor(
    match: (m: MailboxMessage) => boolean,
    options: { timeoutMs?: number; afterId?: number } = {},
  ): Promise<MailboxMessage> {
    // A deadline for a loaded machine (tests share 2 cores with other work); a found email returns at once.
    const { timeoutMs = 30_000, afterId = 0 } = options;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find((m) => m.id > afterId && match(m));
        if (found) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const last = this.messages.slice(-5).map((m) => `${m.template} → ${m.to.join(',')}`);
        reject(
          new Error(
            `No matching email within ${timeoutMs} ms (mailbox has ${this.messages.length}; last: ${last.join('; ')})`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    worker.ref();
    await new Promise<void>((resolve) => {
      worker.on('message', (m: FromMailThread) => 'stopped' in m && resolve());
      worker.once('exit', () => resolve());
      worker.postMessage('stop');
    });
    await worker.terminate();
    this.mailThreadFailed(new Error('The local mailbox stopped'));
  }
}

/** The system's email adapter on the local runtime: SMTP from the mailbox's mail thread (mail-worker.mjs). */
export class MailboxEmailSender implements EmailSender {
  constructor(
    private readonly mailbox: Mailbox,
    private readonly from: string,
  ) {}

  send(m: EmailMessage): Promise<void> {
    return this.mailbox.send(smtpMessage(m, this.from));
  }
}

/**
 * The capability links in an email's text (for tests and the mailbox page), whole: with the hint their
 * address carries (what the link is for, read beside it), as a browser follows them.
 */
export function linksIn(m: Pick<MailboxMessage, 'text'>): string[] {
  return [...m.text.matchAll(/https?:\/\/\S+\/links\/[A-Za-z0-9_-]{43}(?:\?[^\s"<>]*)?/g)].map((x) => x[0]);
}

/** Where an expired link's page posts for a fresh one: its path, without the hint its email's address carries. */
export function renewalOf(link: string): string {
  return `${link.replace(/\?.*$/, '')}/renew`;
}
