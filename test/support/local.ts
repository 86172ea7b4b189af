/** Helpers for tests that drive the local system over HTTP and read its mailbox. */
import { linksIn, type MailboxMessage } from '../../infra/local/mailbox';
import { localClockStart, type LocalSystem } from '../../infra/local/system';
import { childIdentityNumber, nameFor } from '../../infra/local/simulated-people';
import { expect } from 'vitest';
import type { Group } from '../../functions/domain/partnership';

let counter = 0;
let serials = 0;

/**
 * A valid identity number of a child aged `age` at `at` — the clock of the system the test drives
 * (`system.clock.now()`), never a fixed year — with at least `minDaysToBirthday` days (default 30) before
 * the next birthday: choose it to cover how far the test moves the clock while the age must hold.
 * Each call gets its own serial (a new child) unless `serial` is given.
 */
export function childId(
  age: number,
  at: Date,
  options: { minDaysToBirthday?: number; serial?: number } = {},
): string {
  return childIdentityNumber({
    age,
    at,
    minDaysToBirthday: options.minDaysToBirthday,
    serial: options.serial ?? ++serials,
  });
}

/**
 * Children of 7–18 for tests that only need valid, distinct children: computed when the test file loads,
 * from where a local system's clock starts (the machine's time, or LOCAL_CLOCK_START); tests run that clock
 * at real speed and move it by at most a few weeks before these are used. Mid-age, at least 200 days
 * before the next birthday.
 */
export const CHILD_IDS = [11, 7, 9, 16, 17, 13].map((age) =>
  childId(age, localClockStart() ?? new Date(), { minDaysToBirthday: 200 }),
);

/** A valid form; each call gets its own idempotency key. The default child is CHILD_IDS[0]. */
export function referralForm(overrides: Record<string, string> = {}): Record<string, string> {
  counter += 1;
  return {
    idempotencyKey: `test-key-${Date.now()}-${counter}-abcdef`,
    district: 'Farsta',
    childFirstName: 'Sam',
    identityNumber: CHILD_IDS[0]!,
    socialWorkerName: 'Siv Socialsekreterare',
    socialWorkerEmail: 'siv@farsta.example',
    childWish: 'on',
    custodian1Name: 'Vera Vårdnadshavare',
    custodian1Contact: 'email',
    custodian1Email: 'vera@example.org',
    custodian1Language: 'sv',
    carerName: 'Fia Familjehem',
    carerEmail: 'fia@example.org',
    ...overrides,
  };
}

/** A valid identity number (Luhn check digit computed) for a birth date YYMMDD in the 2000s. */
export { identityNumber as identityNumberFor, nameFor } from '../../infra/local/simulated-people';

export async function postForm(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text() };
}

export async function get(url: string): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export function referenceFrom(receiptHtml: string): string {
  const m = /data-testid="reference">(R-[0-9A-Z]{4}-[0-9A-Z]{4})</.exec(receiptHtml);
  if (!m) throw new Error(`No reference code in page: ${receiptHtml.slice(0, 500)}`);
  return m[1]!;
}

/** The link that answers the step: the first in the email (a withdrawal link, where there is one, comes last). */
/** A staff member signed in through the mailed link, as the staff pages' session cookie (`name=value`). */
export async function staffSessionCookie(system: LocalSystem, email: string): Promise<string> {
  const mark = system.mailbox.list().at(-1)?.id ?? 0;
  await postForm(`${system.url}/staff/sign-in`, { email });
  const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in' && m.to.includes(email), {
    afterId: mark,
  });
  const link = /https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  const res = await fetch(`${system.url}${new URL(link).pathname}`, { method: 'POST', redirect: 'manual' });
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

export function onlyLink(m: MailboxMessage): string {
  const links = linksIn(m);
  if (links.length < 1 || links.length > 2)
    throw new Error(`Expected one or two links in "${m.subject}", found ${links.length}`);
  return links[0]!;
}

/** The withdrawal link of an email to a custodian or of the social worker's receipt. */
export function withdrawalLinkIn(m: MailboxMessage): string {
  const links = linksIn(m);
  if (links.length !== 2 && !(m.template === 'intake-received' && links.length === 1))
    throw new Error(`Expected a withdrawal link in "${m.subject}", found ${links.length} links`);
  return links.at(-1)!;
}

/** Waits for the next email of a template to a recipient about a referral (reference in subject or text). */
export function nextEmail(
  system: LocalSystem,
  template: string,
  to: string,
  options: { afterId?: number; timeoutMs?: number } = {},
) {
  return system.mailbox.waitFor((m) => m.template === template && m.to.includes(to), options);
}

export async function submitReferral(
  system: LocalSystem,
  overrides: Record<string, string> = {},
): Promise<string> {
  const res = await postForm(`${system.url}/referrals`, referralForm(overrides));
  if (res.status !== 201) throw new Error(`Submission refused (${res.status}): ${res.text.slice(0, 800)}`);
  return referenceFrom(res.text);
}

/**
 * A child in the pool: submits referral `n` (its own custodian, family home and social worker addresses),
 * approves the screening and gives the custodian's consent.
 */
export async function consentedChild(
  system: LocalSystem,
  n: number,
  overrides: Record<string, string> = {},
): Promise<string> {
  const custodian = `custodian${n}@example.org`;
  const id = await submitReferral(system, {
    childFirstName: nameFor('Barn', n),
    carerEmail: `carer${n}@familjehem.example`,
    custodian1Email: custodian,
    socialWorkerEmail: `sw${n}@bromma.example`,
    ...overrides,
  });
  const screening = await system.mailbox.waitFor(
    (m) => m.template === 'screening-request' && m.text.includes(id),
  );
  await postForm(onlyLink(screening), { action: 'approve' });
  const consent = await system.mailbox.waitFor(
    (m) => m.template === 'consent-request' && m.to.includes(custodian),
  );
  await postForm(onlyLink(consent), { action: 'consent' });
  return id;
}

export async function auditActions(system: LocalSystem, referralId: string): Promise<string[]> {
  const events = await system.deps.store.listAudit(referralId);
  return events
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((e) => (e.detail?.outcome ? `${e.action}:${e.detail.outcome}` : e.action));
}

/** The coordinator's email about the pool (a child waiting, or a group that can form) for a referral. */
export function poolEmail(system: LocalSystem, referralId: string, options: { afterId?: number } = {}) {
  return system.mailbox.waitFor(
    (m) => (m.template === 'pool-waiting' || m.template === 'group-proposal') && m.text.includes(referralId),
    options,
  );
}

/**
 * The leader records each child's home visit as done, from the request she was mailed when the child was
 * proposed for the group: the seats are confirmed and the family homes get the schedule.
 */
export async function completeHomeVisits(system: LocalSystem, referralIds: string[]): Promise<void> {
  for (const id of referralIds) {
    // Recorded already (a test that checks a group twice): nothing more to do.
    if ((await system.deps.store.getReferral(id))?.homeVisit?.outcome === 'done') continue;
    const request = await homeVisitRequest(system, id);
    const res = await postForm(onlyLink(request), { action: 'visit-done' });
    if (res.status !== 200) throw new Error(`Home visit refused (${res.status}): ${res.text.slice(0, 500)}`);
    await system.mailbox.waitFor((m) => m.template === 'group-placed' && m.text.includes(id));
  }
}

/** The group leader's request to visit the family home of a child proposed for her group. */
export function homeVisitRequest(system: LocalSystem, referralId: string) {
  return system.mailbox.waitFor((m) => m.template === 'home-visit-request' && m.subject.includes(referralId));
}

/**
 * Confirms a group from a pool link: these children, this format, starting on this date. The leader then
 * records every placed child's home visit (their seats confirmed), unless `homeVisits` is false.
 */
export async function confirmGroup(
  system: LocalSystem,
  poolLink: string,
  members: string[],
  options: { format?: 'weekly' | 'weekend'; startDate?: string; slot?: string; homeVisits?: boolean } = {},
): Promise<{ status: number; text: string; groupId: string }> {
  const startDate =
    options.startDate ?? new Date(system.clock.now().getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
  const fields: Record<string, string> = {
    action: 'confirm',
    format: options.format ?? 'weekend',
    startDate,
    ...(options.slot ? { slot: options.slot } : { slot: '2-17:00' }),
  };
  for (const id of members) fields[`member-${id}`] = 'on';
  const res = await postForm(poolLink, fields);
  if (res.status === 200) await groupsPlaced(system, members);
  const r = await system.deps.store.getReferral(members[0]!);
  const groupId = r?.group?.groupId ?? '';
  if (res.status === 200 && groupId && options.homeVisits !== false) {
    const placed = await system.deps.store.listGroupMembers(groupId);
    await completeHomeVisits(
      system,
      members.filter((id) => placed.includes(id)),
    );
  }
  return { ...res, groupId };
}

/**
 * Waits until every group confirmed for any of these children has had them placed by its workflow
 * (PlaceMembers): none is still forming. The coordinator's page returns before that.
 */
export async function groupsPlaced(
  system: LocalSystem,
  members: string[],
  timeoutMs = 30_000,
): Promise<void> {
  const concerned = (g: Group) => g.confirmation?.members.some((m) => members.includes(m));
  for (const deadline = Date.now() + timeoutMs; ;) {
    const forming = (await system.deps.store.listGroups('stockholm-bris')).filter(
      (g) => concerned(g) && g.status === 'forming',
    );
    if (!forming.length) return;
    if (Date.now() > deadline)
      throw new Error(
        `Groups still forming after ${timeoutMs} ms: ${forming.map((g) => g.groupId).join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Runs a confirmed group to its end (or from `fromMeeting` to `toMeeting`) on the fast-forward clock: for
 * each meeting, moves the clock past it, and answers the leader's attendance link (`absent` lists who
 * missed which meeting).
 */
export async function runGroup(
  system: LocalSystem,
  groupId: string,
  absent: Record<number, string[]> = {},
  fromMeeting = 1,
  toMeeting = Infinity,
): Promise<MailboxMessage[]> {
  const group = (await system.deps.store.getGroup('stockholm-bris', groupId))!;
  const requests: MailboxMessage[] = [];
  for (const meeting of group.meetings!.filter((m) => m.index >= fromMeeting && m.index <= toMeeting)) {
    const ahead = Date.parse(meeting.endsAt) - system.clock.now().getTime() + 60_000;
    if (ahead > 0) system.clock.advance(ahead);
    // The request may already be there (the clock had passed the meeting): match it by meeting and group.
    const request = await system.mailbox.waitFor(
      (m) =>
        m.template === 'attendance-request' &&
        m.subject.includes(`träff ${meeting.index}:`) &&
        m.subject.includes(group.name),
    );
    requests.push(request);
    const members = await system.deps.store.listGroupMembers(groupId);
    const fields: Record<string, string> = { action: 'record' };
    for (const id of members)
      fields[`present-${id}`] = absent[meeting.index]?.includes(id) ? 'absent' : 'present';
    const res = await postForm(onlyLink(request), fields);
    if (res.status !== 200) throw new Error(`Attendance refused (${res.status}): ${res.text.slice(0, 500)}`);
  }
  return requests;
}

/** Answers a questionnaire link with the same score for every item. */
export async function answerQuestionnaire(
  link: string,
  score: number,
  freeText = '',
): Promise<{ status: number; text: string }> {
  const page = await fetch(link).then((r) => r.text());
  const fields: Record<string, string> = { action: 'answer', freeText };
  for (const [, name] of page.matchAll(/name="(item-[a-z]+)"/g)) fields[name!] = String(score);
  return postForm(link, fields);
}

/**
 * Takes a referral in follow-up to closed on the fast-forward clock: the evaluation (answered by carer
 * and child unless `answer` is false), the summary, the later follow-up and its reminder window.
 */
export async function completeFollowUp(
  system: LocalSystem,
  referralId: string,
  carerEmail: string,
  options: { answer?: boolean; answerLater?: boolean } = {},
): Promise<void> {
  const DAY = 86_400_000;
  const evaluation = await system.mailbox.waitFor(
    (m) => m.template === 'evaluation-request' && m.to.includes(carerEmail),
  );
  if (options.answer ?? true) {
    const [carer, child] = linksIn(evaluation);
    await answerQuestionnaire(carer!, 4, 'Bra grupp.');
    await answerQuestionnaire(child!, 5);
  }
  let mark = system.mailbox.list().at(-1)?.id ?? 0;
  system.clock.advance(15 * DAY);
  await system.mailbox.waitFor((m) => m.template === 'follow-up-summary' && m.text.includes(referralId), {
    afterId: mark,
  });
  mark = system.mailbox.list().at(-1)?.id ?? 0;
  // To the later follow-up (three calendar months after the last meeting: 89–92 days) but not to its
  // reminder (14 days after it): one jump past both made the reminder race the carer's answer, and under
  // load the reminder won, out of the order a person meets them.
  system.clock.advance(85 * DAY);
  const later = await system.mailbox.waitFor(
    (m) => m.template === 'later-follow-up' && m.to.includes(carerEmail),
    { afterId: mark },
  );
  if (options.answerLater ?? true) await answerQuestionnaire(linksIn(later)[0]!, 4);
  mark = system.mailbox.list().at(-1)?.id ?? 0;
  system.clock.advance(30 * DAY);
  await system.mailbox.waitFor((m) => m.template === 'closed-completed' && m.text.includes(referralId), {
    afterId: mark,
  });
}

/**
 * The referral's execution has closed it and ended (at Close: nothing waits in it for the retention
 * period), and its erasure is recorded as due; resolves with the execution.
 */
export async function closedAndRetained(system: LocalSystem, referralId: string) {
  const execution = await system.engine.waitUntil(referralId, (e) => !!e && e.status !== 'RUNNING');
  await expect.poll(() => dueErasureOf(system, referralId)).toBeDefined();
  return execution;
}

/** The referral's recorded due erasure, if any. */
export async function dueErasureOf(system: LocalSystem, referralId: string) {
  const all = await system.deps.store.listDueErasures('9999', { limit: 1000 });
  return all.find((d) => d.referralId === referralId);
}

/**
 * Moves the local clock to the next occurrence of the template's schedule (the daily erasure sweep, 03:00
 * Stockholm time) and waits until the run of that occurrence has finished; resolves with the occurrence.
 */
export async function nextSweep(system: LocalSystem): Promise<Date> {
  const at = system.schedules.nextOccurrence(system.clock.now())!;
  system.clock.advance(at.getTime() - system.clock.now().getTime() + 1000);
  await expect.poll(() => system.schedules.runs.some((r) => r.occurrence === at.toISOString())).toBe(true);
  return at;
}

/** Moves the local clock to `instant` and waits for the sweep it wakes (a catch-up of the 03:00 passed). */
export async function advanceToAndSweep(system: LocalSystem, instant: Date): Promise<void> {
  const before = system.schedules.runs.length;
  const crossesOccurrence = system.schedules.nextOccurrence(system.clock.now())! <= instant;
  system.clock.advance(instant.getTime() - system.clock.now().getTime());
  if (crossesOccurrence) await expect.poll(() => system.schedules.runs.length).toBeGreaterThan(before);
}
