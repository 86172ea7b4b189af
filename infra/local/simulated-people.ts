/**
 * Plays every person's part against a running local system, over HTTP only (so it drives an in-process
 * system and a child process alike, and survives that process being killed): the social worker screens,
 * custodians consent or refuse or stay silent, the coordinator confirms proposed groups, the leader records
 * the home visits and attendance, the family home answers questionnaires. When nothing is left to do and the system is idle,
 * it moves the local clock to the next instant something wakes up, so months pass in seconds.
 *
 * Used by the lifecycle benchmark and the crash soak; each referral follows a plan that names its ending.
 */
import { DateTime } from 'luxon';
import { ageOn } from '../../functions/domain/identity-number';
import { STOCKHOLM_DISTRICTS_2017 } from '../../functions/domain/partnership';
import { linksIn, type MailboxMessage } from './mailbox';

export type Plan = 'completed' | 'declined' | 'consent-refused' | 'consent-not-obtained' | 'withdrawn';

interface Person {
  plan: Plan;
  reference: string;
  custodianEmail: string;
  outcome?: string;
}

interface ClockState {
  now: string;
  nextWakeAt: string | null;
  busy: number;
  lastMailId: number;
  runningExecutions: number;
  /**
   * null while anything runs: asked `when-idle`, the table is read only once the system is quiet; 0 when
   * none is left, else 1 (asked up to one: the people only need to know whether the sweep is done).
   */
  pendingErasures: number | null;
}

export interface SimulatedPeopleOptions {
  baseUrl: string;
  /** Answers sent at the same time (people are many). */
  concurrency?: number;
  log?: (message: string) => void;
}

export interface PeopleStats {
  answers: number;
  /** Answers the system refused with 400: a bug in the people or in the pages. */
  rejected: number;
  /** Requests that failed to connect (the system was down) and were sent again. */
  retries: number;
  clockJumps: number;
}

/** How referrals end, in the shares a year of referrals might show. */
const MIX: [Plan, number][] = [
  ['completed', 0.6],
  ['declined', 0.15],
  ['consent-refused', 0.1],
  ['consent-not-obtained', 0.1],
  ['withdrawn', 0.05],
];
/** One age in the middle of each age band (7-9, 10-12, 13-15, 16-18). */
const AGE_BY_BAND = [8, 11, 14, 17];

export function planFor(i: number, n: number): Plan {
  let edge = 0;
  for (const [plan, share] of MIX) {
    edge += share * n;
    if (i < edge) return plan;
  }
  return 'completed';
}

/** Completing children come in cohorts of six (district × age band), so weekly groups can form. */
export function cohortFor(k: number) {
  const c = Math.floor(k / 6);
  return {
    district: STOCKHOLM_DISTRICTS_2017[c % STOCKHOLM_DISTRICTS_2017.length]!,
    age: AGE_BY_BAND[Math.floor(c / STOCKHOLM_DISTRICTS_2017.length) % AGE_BY_BAND.length]!,
  };
}

const PAUSE = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A valid identity number (Luhn) for a birth date YYMMDD in the 2000s and a serial. */
/** A name for person `n` in letters only (names may not hold digits): 12 → "Barn-bc". */
export function nameFor(prefix: string, n: number): string {
  return `${prefix}-${[...String(n)].map((d) => 'abcdefghij'[Number(d)]).join('')}`;
}

export function identityNumber(yymmdd: string, serial: number): string {
  const base = `${yymmdd}${String(serial % 1000).padStart(3, '0')}`;
  for (let c = 0; c < 10; c++) {
    let sum = 0;
    for (let i = 0; i < 10; i++) {
      let d = Number((base + c)[i]) * (i % 2 === 0 ? 2 : 1);
      if (d > 9) d -= 9;
      sum += d;
    }
    if (sum % 10 === 0) return `20${yymmdd}-${base.slice(6)}${c}`;
  }
  throw new Error('unreachable: one check digit always fits');
}

/**
 * The birth date (YYMMDD, 2000s) of a child aged `age` at the instant `at` (Stockholm calendar) whose next
 * birthday is `minDaysToBirthday` days later (1–364): the child keeps that age while a test or a simulation
 * moves the clock up to that far. Never 29 February, whose birthday moves in other years.
 */
export function birthDateFor(age: number, at: Date, minDaysToBirthday = 30): string {
  if (!(minDaysToBirthday >= 1 && minDaysToBirthday <= 364))
    throw new Error(`minDaysToBirthday must be 1–364, not ${minDaysToBirthday}`);
  const today = DateTime.fromJSDate(at, { zone: 'Europe/Stockholm' }).startOf('day');
  let nextBirthday = today.plus({ days: minDaysToBirthday });
  if (nextBirthday.month === 2 && nextBirthday.day === 29) nextBirthday = nextBirthday.plus({ days: 1 });
  const birth = nextBirthday.minus({ years: age + 1 });
  const iso = birth.toISODate()!;
  // The rule the system applies (ageOn), checked on the first and the last day the child must have this age.
  const last = today.plus({ days: minDaysToBirthday - 1 });
  if (ageOn(iso, today) !== age || ageOn(iso, last) !== age || birth.year < 2000)
    throw new Error(
      `no birth date in the 2000s gives age ${age} from ${today.toISODate()} to ${last.toISODate()}`,
    );
  return birth.toFormat('yyMMdd');
}

/**
 * A valid (Luhn-checked) identity number of a child aged `age` at `at`, with at least `minDaysToBirthday`
 * days before the next birthday (see birthDateFor); `serial` tells children born the same day apart.
 * Tests, demo data and simulations take `at` from the clock of the system they drive, never a fixed year.
 */
export function childIdentityNumber(child: {
  age: number;
  at: Date;
  serial: number;
  minDaysToBirthday?: number;
}): string {
  return identityNumber(birthDateFor(child.age, child.at, child.minDaysToBirthday), child.serial);
}

export class SimulatedPeople {
  private readonly people = new Map<string, Person>();
  private readonly byCustodian = new Map<string, Person>();
  private lastMailId = 0;
  private coordinator: Promise<void> = Promise.resolve();
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;
  /** The mailbox's long poll while someone is answering: cut short when the last answer is done. */
  private poll?: AbortController;
  readonly stats: PeopleStats = { answers: 0, rejected: 0, retries: 0, clockJumps: 0 };

  constructor(private readonly options: SimulatedPeopleOptions) {}

  private url(path: string): string {
    return path.startsWith('http') ? path : `${this.options.baseUrl}${path}`;
  }

  /** fetch that waits out a killed or restarting system (connection refused, 503 while a step resumes). */
  private async request(path: string, init?: RequestInit): Promise<{ status: number; text: string }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(this.url(path), { redirect: 'manual', ...init });
        const text = await res.text();
        if (res.status !== 503 && res.status < 500) return { status: res.status, text };
        if (res.status >= 500 && res.status !== 503)
          throw new Error(`${init?.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      } catch (error) {
        if ((error as Error).message.includes(' answered ') || init?.signal?.aborted) throw error;
      }
      if (attempt > 600) throw new Error(`${path} unreachable for two minutes`);
      this.stats.retries++;
      await PAUSE(200);
    }
  }

  private post(path: string, fields: Record<string, string>) {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /**
   * Submits one referral that will end as `plan`; children of the same `cohort` land in one age band and district.
   * The child is `cohort.age` on the system's clock (read now: it may have been moved far from the machine's),
   * with a month before the next birthday — the band is fixed at intake.
   */
  async refer(plan: Plan, n: number, cohort = { district: 'Farsta', age: 11 }): Promise<string> {
    const custodianEmail = `vh${n}@people.example`;
    const now = new Date((await this.clock()).now);
    const fields = {
      idempotencyKey: `people-${n}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
      district: cohort.district,
      childFirstName: nameFor('Barn', n),
      identityNumber: childIdentityNumber({ age: cohort.age, at: now, serial: n, minDaysToBirthday: 30 }),
      socialWorkerName: 'Siv Socialsekreterare',
      socialWorkerEmail: 'siv@farsta.example',
      childWish: 'on',
      custodian1Name: nameFor('Vårdnadshavare', n),
      custodian1Contact: 'email',
      custodian1Email: custodianEmail,
      custodian1Language: 'sv',
      carerName: nameFor('Familjehem', n),
      carerEmail: `fh${n}@people.example`,
    };
    const res = await this.post('/referrals', fields);
    const reference = /data-testid="reference">(R-[0-9A-Z]{4}-[0-9A-Z]{4})</.exec(res.text)?.[1];
    // 200: the same form again (sent once more after the system went down mid-request): the first receipt.
    if ((res.status !== 201 && res.status !== 200) || !reference)
      throw new Error(`referral ${n} refused (${res.status}): ${res.text.slice(0, 400)}`);
    const person: Person = { plan, reference, custodianEmail };
    this.people.set(reference, person);
    this.byCustodian.set(custodianEmail, person);
    return reference;
  }

  outcomes(): Map<string, { plan: Plan; outcome?: string }> {
    return new Map([...this.people].map(([id, p]) => [id, { plan: p.plan, outcome: p.outcome }]));
  }

  private unfinished(): Person[] {
    return [...this.people.values()].filter((p) => !p.outcome);
  }

  private about(m: MailboxMessage): Person | undefined {
    for (const to of m.to) {
      const p = this.byCustodian.get(to);
      if (p) return p;
    }
    const id = /R-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(`${m.subject} ${m.text}`)?.[0];
    return id ? this.people.get(id) : undefined;
  }

  /** The step this email asks for, as an answer to send, or nothing when no answer is due. */
  private answerFor(m: MailboxMessage): (() => Promise<void>) | undefined {
    // The same email twice (a repeat after a crash carries the same links): a person answers it once.
    if (m.repeatOf) return undefined;
    const links = linksIn(m);
    const p = this.about(m);
    const answer = (link: string, fields: Record<string, string>) => async () => {
      const res = await this.post(link, fields);
      this.stats.answers++;
      if (res.status === 400) {
        this.stats.rejected++;
        this.options.log?.(
          `answer refused (${m.template}): ${res.text.replace(/<[^>]+>/g, ' ').slice(0, 300)}`,
        );
      }
    };
    switch (m.template) {
      case 'screening-request':
        if (!p) return undefined;
        return p.plan === 'declined'
          ? answer(links[0]!, { action: 'decline', reason: 'Barnet har redan stöd på annat håll.' })
          : answer(links[0]!, { action: 'approve' });
      case 'consent-request':
      case 'consent-reminder':
        if (!p || p.plan === 'consent-not-obtained') return undefined;
        if (p.plan === 'withdrawn')
          return answer(links.at(-1)!, { action: 'withdraw', reason: 'Familjen flyttar.' });
        return answer(links[0]!, { action: p.plan === 'consent-refused' ? 'refuse' : 'consent' });
      case 'consent-escalation':
        if (!p) return undefined;
        return answer(links[0]!, { action: p.plan === 'consent-not-obtained' ? 'close' : 'extend' });
      // "A child waits" needs nothing done; a proposal is confirmed as it stands.
      case 'group-proposal': {
        // One coordinator: proposals are handled one after another, as a person at one screen would.
        const link = links[0]!;
        return () => (this.coordinator = this.coordinator.then(() => this.confirmProposal(link)));
      }
      // The leader visits the family home and records it: the seat is confirmed.
      case 'home-visit-request':
      case 'home-visit-request-reminder':
        return answer(links[0]!, { action: 'visit-done' });
      case 'attendance-request':
        return () => this.recordAttendance(links[0]!);
      case 'evaluation-request':
      case 'later-follow-up':
      case 'evaluation-reminder':
        return async () => {
          for (const link of links.slice(0, m.template === 'evaluation-request' ? 2 : 1))
            await this.answerQuestionnaire(link);
        };
      default:
        if (m.template.startsWith('closed-') && p) p.outcome = m.template.slice('closed-'.length);
        return undefined;
    }
  }

  private async confirmProposal(link: string): Promise<void> {
    const page = await this.request(link);
    if (page.status !== 200) return; // used, or the pool has moved on
    const members = [...page.text.matchAll(/name="(member-[^"]+)"[^>]*\bchecked\b/g)].map((m) => m[1]!);
    if (!members.length) return; // no proposal yet: the weekly re-run will mail one
    const format =
      /name="format"\s+value="(weekly|weekend)"[^>]*\bchecked\b/.exec(page.text)?.[1] ?? 'weekend';
    const slot = /<option value="(\d-\d\d:\d\d)"/.exec(page.text)?.[1] ?? '2-17:00';
    const clock = (await this.clock()).now;
    const startDate = new Date(Date.parse(clock) + 7 * 86_400_000).toISOString().slice(0, 10);
    const fields: Record<string, string> = { action: 'confirm', format, slot, startDate };
    for (const m of members) fields[m] = 'on';
    const res = await this.post(formAction(page.text, link), fields);
    this.stats.answers++;
    if (res.status === 400) this.stats.rejected++;
  }

  private async recordAttendance(link: string): Promise<void> {
    const page = await this.request(link);
    if (page.status !== 200) return;
    const fields: Record<string, string> = { action: 'record' };
    for (const [, name] of page.text.matchAll(/name="(present-[^"]+)"/g)) fields[name!] = 'present';
    const res = await this.post(formAction(page.text, link), fields);
    this.stats.answers++;
    if (res.status === 400) this.stats.rejected++;
  }

  private async answerQuestionnaire(link: string): Promise<void> {
    const page = await this.request(link);
    if (page.status !== 200) return;
    const fields: Record<string, string> = { action: 'answer', freeText: '' };
    for (const [, name] of page.text.matchAll(/name="(item-[a-z]+)"/g)) fields[name!] = '4';
    const res = await this.post(link, fields);
    this.stats.answers++;
    if (res.status === 400) this.stats.rejected++;
  }

  private async clock(): Promise<ClockState> {
    return JSON.parse(
      (await this.request('/dev/clock.json?pendingErasures=when-idle&pendingErasuresUpTo=1')).text,
    ) as ClockState;
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 32;
    while (this.running < limit && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      job()
        .catch((error: Error) => this.options.log?.(`answer failed: ${error.message}`))
        .finally(() => {
          this.running--;
          this.pump();
          // Nobody answering any more: the loop asks again, waiting this time until the system is idle.
          if (!this.running && !this.queue.length) this.poll?.abort();
        });
    }
  }

  /**
   * The new mail, by long poll (people sit at their own computers: asking every few milliseconds was load
   * on the system's process, and so on the bench's figures). While someone is answering, it waits for
   * mail (until the last answer is done); else until mail comes or nothing runs in the system.
   */
  private async readMail(): Promise<number> {
    const answering = this.running > 0 || this.queue.length > 0;
    const wait = answering ? 'waitMs=100' : 'waitMs=250&untilIdle=1';
    const poll = new AbortController();
    this.poll = poll;
    let text: string;
    try {
      text = (
        await this.request(`/dev/mailbox.json?after=${this.lastMailId}&${wait}`, { signal: poll.signal })
      ).text;
    } catch (error) {
      if (poll.signal.aborted) return 0;
      throw error;
    } finally {
      this.poll = undefined;
    }
    const mails = JSON.parse(text) as MailboxMessage[];
    for (const m of mails) {
      this.lastMailId = Math.max(this.lastMailId, m.id);
      const job = this.answerFor(m);
      if (job) this.queue.push(job);
    }
    this.pump();
    return mails.length;
  }

  /**
   * Answers every email as it arrives until every referral has closed; when nothing is due and nothing
   * runs, jumps the clock to the next wake-up. Throws with the unfinished referrals if time runs out.
   */
  runUntilAllClosed(timeoutMs = 600_000): Promise<void> {
    return this.run(async () => this.unfinished().length === 0, timeoutMs);
  }

  /**
   * Goes on past closing until every execution has ended and every referral has been erased by the daily
   * sweep after its retention period (the clock then moves a day, to the next sweep, at a time).
   */
  runUntilWorkflowsEnd(timeoutMs = 600_000): Promise<void> {
    return this.run(
      async (state) => state?.runningExecutions === 0 && state.pendingErasures === 0,
      timeoutMs,
    );
  }

  private async run(done: (state?: ClockState) => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    let state: ClockState | undefined;
    while (!(await done(state))) {
      if (Date.now() > deadline)
        throw new Error(
          `not finished in time; ${this.unfinished().length} referrals not closed: ${this.unfinished()
            .slice(0, 10)
            .map((p) => `${p.reference} (${p.plan})`)
            .join(', ')}; people: ${this.running} answering, ${this.queue.length} queued, mail read to ${
            this.lastMailId
          }, ${JSON.stringify(this.stats)}; system: ${JSON.stringify(state ?? 'not asked since the last mail')}`,
        );
      const fresh = await this.readMail();
      // The mailbox's long poll did the waiting: for mail, for the answers, or for the system to settle.
      if (fresh || this.running || this.queue.length) {
        quiet = 0;
        state = undefined;
        continue;
      }
      state = await this.clock();
      if (state.busy > 0 || state.lastMailId > this.lastMailId) {
        quiet = 0;
        continue;
      }
      if (await done(state)) break;
      // Idle twice in a row (a state machine between two states is not "busy" for an instant).
      if (++quiet < 2) {
        await PAUSE(2);
        continue;
      }
      quiet = 0;
      const next = state.nextWakeAt ? Date.parse(state.nextWakeAt) : Date.parse(state.now) + 86_400_000;
      await this.post('/dev/clock/advance', { to: new Date(next + 1000).toISOString() });
      this.stats.clockJumps++;
    }
  }
}

/** Where a page's form posts, as a browser sends it (its address may name what the link is for); else `link`. */
function formAction(html: string, link: string): string {
  const action = /<form method="post" action="(\/links\/[^"]+)"/.exec(html)?.[1];
  return action ? action.replaceAll('&amp;', '&') : link;
}
