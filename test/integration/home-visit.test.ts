/**
 * The home visit before the group, on the real state machines with the fast-forward clock: a child the
 * coordinator places in a group has a seat proposed, not confirmed; the group leader is asked to visit the
 * family home, offers it times, and the family home picks one by link. Recorded as done, the seat is confirmed, the family home gets the schedule and the child
 * is at the first meeting. A family that declines, or a visit not recorded in time (reminders on days 3 and
 * 7, the coordinator told on day 10, the deadline on day 14), closes the referral and frees the seat.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZONE } from '../../functions/domain/time-zone';
import type { MailboxMessage } from '../../infra/local/mailbox';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  auditActions,
  childId,
  closedAndRetained,
  confirmGroup,
  consentedChild,
  get,
  homeVisitRequest,
  onlyLink,
  poolEmail,
  postForm,
  runGroup,
} from '../support/local';

let system: LocalSystem;
const DAY = 86_400_000;
const COORDINATOR = 'samordnare@bris.example';

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

const lastId = () => system.mailbox.list().at(-1)?.id ?? 0;
const mail = (template: string, to: string, about: string, afterId = 0): Promise<MailboxMessage> =>
  system.mailbox.waitFor((m) => m.template === template && m.to.includes(to) && m.text.includes(about), {
    afterId,
  });

/**
 * Moves the clock `days` on, once the referral waits for the visit again (so that the wait is timed from
 * before the move), and waits for the email it should bring.
 */
async function after(days: number, template: string, to: string, about: string): Promise<MailboxMessage> {
  await expect.poll(() => system.engine.waitingState(about)).toBe('HomeVisit');
  const mark = lastId();
  system.clock.advance(days * DAY);
  return mail(template, to, about, mark);
}

/** A consented child of `age` in the pool, placed alone in a support weekend starting in `startInDays`. */
async function proposedChild(n: number, age: number, startInDays: number) {
  const id = await consentedChild(system, n, {
    identityNumber: childId(age, system.clock.now(), { minDaysToBirthday: 60, serial: 700 + n }),
  });
  const pool = await poolEmail(system, id);
  const startDate = new Date(system.clock.now().getTime() + startInDays * DAY).toISOString().slice(0, 10);
  const confirmed = await confirmGroup(system, onlyLink(pool), [id], { startDate, homeVisits: false });
  expect(confirmed.status).toBe(200);
  return {
    id,
    groupId: confirmed.groupId,
    carer: `carer${n}@familjehem.example`,
    sw: `sw${n}@bromma.example`,
  };
}

describe('the home visit before the group', () => {
  it('proposed → the family home picks a time by link → the leader records the visit → the seat is confirmed → the child is at the first meeting', async () => {
    const { id, groupId, carer, sw } = await proposedChild(1, 8, 21);
    const request = await homeVisitRequest(system, id);
    expect(request.to).toEqual([COORDINATOR]); // the partnership's groups have no leader of their own
    await expect.poll(() => system.engine.waitingState(id)).toBe('HomeVisit');
    // Proposed, not confirmed: no schedule to the family home yet, no "placed" to the social worker.
    expect(
      system.mailbox.list().some((m) => m.template.startsWith('group-schedule') && m.to.includes(carer)),
    ).toBe(false);
    const page = await get(onlyLink(request));
    expect(page.text).toContain(carer); // the family home's contact, on the page only
    // The leader offers two times; the family home picks one through its own link.
    const day = (d: number) =>
      DateTime.fromJSDate(system.clock.now(), { zone: ZONE })
        .plus({ days: d })
        .toFormat("yyyy-LL-dd'T'17:00");
    let mark = lastId();
    const offered = await postForm(onlyLink(request), {
      action: 'offer-times',
      time1: day(3),
      time2: day(5),
    });
    expect(offered.status).toBe(200);
    const times = await system.mailbox.waitFor(
      (m) => m.template === 'home-visit-times' && m.to.includes(carer),
      { afterId: mark },
    );
    const choice = await get(onlyLink(times));
    const second = [...choice.text.matchAll(/name="time"\s+value="([^"]+)"/g)][1]![1]!;
    mark = lastId();
    expect((await postForm(onlyLink(times), { action: 'choose-time', time: second })).status).toBe(200);
    // The leader hears which time, with a new link of her step (the wait went on all along).
    const chosen = await mail('home-visit-request', COORDINATOR, id, mark);
    expect(chosen.text).toContain('Familjehemmet har valt tiden');
    await expect.poll(() => system.engine.waitingState(id)).toBe('HomeVisit');
    expect((await postForm(onlyLink(chosen), { action: 'visit-done' })).status).toBe(200);

    await mail('group-placed', sw, id);
    await system.mailbox.waitFor((m) => m.template.startsWith('group-schedule') && m.to.includes(carer));
    await expect.poll(() => system.engine.waitingState(id)).toBe('Sessions');
    expect(await auditActions(system, id)).toEqual(
      expect.arrayContaining(['group-confirmed', 'home-visit-done', 'seat-confirmed']),
    );
    // The first meeting: the family home is reminded, and the child is on the leader's attendance.
    const [attendance] = await runGroup(system, groupId, {}, 1, 1);
    expect(system.mailbox.list().some((m) => m.template === 'meeting-reminder' && m.to.includes(carer))).toBe(
      true,
    );
    expect(attendance).toBeDefined();
    await expect
      .poll(async () => (await system.deps.store.listAttendance(groupId)).map((a) => a.referralId))
      .toEqual([id]);
  });

  it('a family that declines the visit: the referral closes with that outcome and the seat is freed', async () => {
    const { id, groupId, carer, sw } = await proposedChild(2, 11, 21);
    const request = await homeVisitRequest(system, id);
    expect((await postForm(onlyLink(request), { action: 'family-declined' })).status).toBe(200);
    const closed = await mail('closed-home-visit-declined', sw, id);
    expect(closed.text).toContain('tackade nej till Bris hembesök');
    await closedAndRetained(system, id);
    expect((await system.deps.store.getReferral(id))?.outcome).toBe('home-visit-declined');
    expect(await system.deps.store.listGroupMembers(groupId)).not.toContain(id);
    expect(await auditActions(system, id)).toEqual(
      expect.arrayContaining(['home-visit-declined', 'group-seat-freed']),
    );
    expect(
      system.mailbox.list().some((m) => m.template.startsWith('group-schedule') && m.to.includes(carer)),
    ).toBe(false);
  });

  it('a silent leader: reminded on days 3 and 7, the coordinator told on day 10, no home visit on day 14', async () => {
    const { id, groupId, sw } = await proposedChild(3, 14, 40);
    await homeVisitRequest(system, id);
    await expect.poll(() => system.engine.waitingState(id)).toBe('HomeVisit');
    const first = await after(3, 'home-visit-request-reminder', COORDINATOR, id);
    expect(first.subject).toBe(`Påminnelse: Hembesök före gruppen: ärende ${id}`);
    await after(4, 'home-visit-request-reminder', COORDINATOR, id);
    const overdue = await after(3, 'home-visit-overdue', COORDINATOR, id);
    expect(overdue.subject).toBe(`Försenat: hembesök i ärende ${id}`);
    const closed = await after(4, 'closed-no-home-visit', sw, id);
    expect(closed.text).toContain('hann inte göra hembesöket');
    await closedAndRetained(system, id);
    expect((await system.deps.store.getReferral(id))?.outcome).toBe('no-home-visit');
    expect(await system.deps.store.listGroupMembers(groupId)).not.toContain(id);
    expect(await auditActions(system, id)).toEqual(
      expect.arrayContaining(['step-reminder-sent', 'step-escalated', 'step-deadline-passed']),
    );
  });
});
