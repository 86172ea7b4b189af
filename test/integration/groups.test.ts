/**
 * A group of six through the real state machines: the pool proposes a weekly group, the coordinator
 * confirms it, schedules (with a parseable calendar file) go to the family homes, reminders come two
 * days before each meeting, the leader records attendance, and every referral resumes into follow-up.
 */
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSwedishHoliday, ZONE } from '../../functions/domain/schedule';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  auditActions,
  confirmGroup,
  childId as childAged,
  consentedChild as consentedChildOf,
  nameFor,
  get,
  onlyLink,
  poolEmail,
  postForm,
  runGroup,
  submitReferral,
} from '../support/local';

let system: LocalSystem;
const COORDINATOR = 'samordnare@bris.example';

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

/**
 * A new 8-year-old (band 7-9) on the system's clock now. The band is fixed at intake, and each test refers
 * its children without moving the clock in between: 30 days before the next birthday is plenty.
 */
const childId = (i: number) => childAged(8, system.clock.now(), { minDaysToBirthday: 30, serial: 100 + i });

/**
 * A start date at least two weeks after the system's date whose eight weekly meetings cross a daylight
 * saving change (Europe/Stockholm): the next change three weeks or more ahead falls in the first four weeks.
 */
function startAcrossDaylightSaving(): string {
  const today = DateTime.fromJSDate(system.clock.now(), { zone: ZONE }).startOf('day');
  let day = today.plus({ days: 21 });
  while (day.offset === day.plus({ days: 1 }).offset) day = day.plus({ days: 1 });
  return DateTime.max(today.plus({ days: 14 }), day.minus({ days: 27 })).toISODate()!;
}

const consentedChild = (i: number, extra: Record<string, string> = {}) =>
  consentedChildOf(system, i, { identityNumber: childId(i), district: 'Bromma', ...extra });

describe('a weekly group of six', () => {
  it('runs from the proposal to every child in follow-up', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      // Child 0 may receive the schedule as custodian too; child 1 is protected, so its custodian never does.
      const extra: Record<string, string> =
        i === 0
          ? { custodianMaySeeSchedule: 'on' }
          : i === 1
            ? { custodianMaySeeSchedule: 'on', protectedIdentity: 'on' }
            : {};
      ids.push(await consentedChild(i, extra));
    }
    // Five children in one band and district make a weekly group: the coordinator gets a proposal.
    const proposal = await system.mailbox.waitFor(
      (m) => m.template === 'group-proposal' && m.subject.includes('veckogrupp 7-9'),
    );
    expect(proposal.to).toEqual([COORDINATOR]);
    const latest = await poolEmail(system, ids[5]!);
    const page = await get(onlyLink(latest));
    for (const id of ids) expect(page.text).toContain(id);
    expect(page.text).not.toMatch(/(19|20)\d{6}[-+]?\d{4}/); // never an identity number
    expect(page.text).toContain('Skyddade personuppgifter');

    // A weekly group, Tuesdays 17:00: its eight weeks cross a daylight saving change.
    const confirmed = await confirmGroup(system, onlyLink(latest), ids, {
      format: 'weekly',
      slot: '2-17:00',
      startDate: startAcrossDaylightSaving(),
    });
    expect(confirmed.status).toBe(200);
    const group = (await system.deps.store.getGroup('stockholm-bris', confirmed.groupId))!;
    expect(group.memberCount).toBe(6);
    expect(group.meetings).toHaveLength(8);
    for (const m of group.meetings!) {
      const local = DateTime.fromISO(m.startsAt, { zone: ZONE });
      expect(local.weekday).toBe(2);
      expect(local.toFormat('HH:mm')).toBe('17:00');
      expect(isSwedishHoliday(local.toISODate()!)).toBe(false);
    }
    // Both UTC offsets occur: the schedule did cross the change and kept 17:00 local time.
    expect(
      new Set(group.meetings!.map((m) => DateTime.fromISO(m.startsAt, { zone: ZONE }).offset)).size,
    ).toBe(2);

    // Schedules with a calendar file to every family home; to custodian 0 (allowed), never to custodian 1 (protected).
    for (let i = 0; i < 6; i++) {
      const schedule = await system.mailbox.waitFor(
        (m) => m.template === 'group-schedule-carer' && m.to.includes(`carer${i}@familjehem.example`),
      );
      const ics = schedule.attachments.find((a) => a.filename.endsWith('.ics'))!;
      const calendar = new ICAL.Component(ICAL.parse(ics.content));
      const events = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
      expect(events).toHaveLength(8);
      expect(events.map((e) => e.startDate.toJSDate().toISOString())).toEqual(
        group.meetings!.map((m) => new Date(m.startsAt).toISOString()),
      );
      expect(events[0]!.location).toContain('Bris');
      if (i === 1) expect(schedule.text).not.toContain(nameFor('Barn', 1));
    }
    await system.mailbox.waitFor(
      (m) => m.template === 'group-schedule-custodian' && m.to.includes('custodian0@example.org'),
    );
    expect(
      system.mailbox
        .list()
        .some((m) => m.to.includes('custodian1@example.org') && m.template.startsWith('group-schedule')),
    ).toBe(false);
    expect(
      system.mailbox
        .list()
        .some((m) => m.to.includes('custodian2@example.org') && m.template.startsWith('group-schedule')),
    ).toBe(false);

    // Eight meetings; child 2 misses meetings 3 and 4 in a row.
    const requests = await runGroup(system, confirmed.groupId, { 3: [ids[2]!], 4: [ids[2]!] });
    expect(requests).toHaveLength(8);
    expect(requests.every((r) => r.to.includes(COORDINATOR))).toBe(true); // the leader defaults to the coordinator

    for (let i = 0; i < 6; i++) {
      await system.mailbox.waitFor(
        (m) => m.template === 'evaluation-request' && m.to.includes(`carer${i}@familjehem.example`),
      );
      const reminders = system.mailbox
        .list()
        .filter((m) => m.template === 'meeting-reminder' && m.to.includes(`carer${i}@familjehem.example`));
      expect(reminders).toHaveLength(8);
      // Custodian 0 was allowed the schedule and gets its reminders too; the others (not allowed, or protected) none.
      const toCustodian = system.mailbox
        .list()
        .filter(
          (m) => m.template === 'meeting-reminder-custodian' && m.to.includes(`custodian${i}@example.org`),
        );
      expect(toCustodian).toHaveLength(i === 0 ? 8 : 0);
    }
    const absence = system.mailbox.list().filter((m) => m.template === 'absence-notice');
    expect(absence.map((m) => m.to)).toEqual([['sw2@bromma.example']]);
    expect(absence[0]!.text).toContain('träff 3 och träff 4');

    const attendance = await system.deps.store.listAttendance(confirmed.groupId);
    expect(attendance).toHaveLength(48);
    expect(attendance.filter((a) => !a.present).map((a) => [a.referralId, a.meeting])).toEqual([
      [ids[2], 3],
      [ids[2], 4],
    ]);
    for (const id of ids) {
      // Every member resumed into follow-up after the last meeting.
      await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('follow-up');
      expect((await auditActions(system, id)).filter((a) => a === 'attendance-recorded')).toHaveLength(8);
    }
    const execution = system.engine.execution(confirmed.groupId);
    expect(execution?.status).toBe('SUCCEEDED');
    expect((await system.deps.store.getGroup('stockholm-bris', confirmed.groupId))?.status).toBe('completed');
  });

  it('refuses a weekly group with a child who cannot come on weekdays, and an empty group', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(20),
      district: 'Farsta',
      custodian1Email: 'nw@example.org',
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    await postForm(onlyLink(screening), { action: 'approve', noWeekdays: 'on' });
    const consent = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes('nw@example.org'),
    );
    await postForm(onlyLink(consent), { action: 'consent' });
    const pool = await poolEmail(system, id);
    const weekly = await confirmGroup(system, onlyLink(pool), [id], { format: 'weekly' });
    expect(weekly.status).toBe(400);
    expect(weekly.text).toContain('kan inte delta vardagar');
    const none = await postForm(onlyLink(pool), {
      action: 'confirm',
      format: 'weekend',
      startDate: DateTime.fromJSDate(system.clock.now(), { zone: ZONE }).plus({ days: 30 }).toISODate()!,
    });
    expect(none.status).toBe(400);
    expect(none.text).toContain('Välj minst ett barn');
    // A group the group execution could not wait out (its last meeting past MAX_GROUP_SPAN_DAYS): refused.
    const farAhead = await confirmGroup(system, onlyLink(pool), [id], {
      format: 'weekend',
      startDate: DateTime.fromJSDate(system.clock.now(), { zone: ZONE }).plus({ days: 200 }).toISODate()!,
    });
    expect(farAhead.status).toBe(400);
    expect(farAhead.text).toContain('måste vara klar inom 150 dagar');
    expect(farAhead.text).toMatch(
      /id="startDate"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="startDate"/,
    );
    expect(farAhead.groupId).toBe('');
    expect((await system.deps.store.getReferral(id))?.phase).toBe('group-assignment');
    const postponed = await postForm(onlyLink(pool), { action: 'postpone' });
    expect(postponed.status).toBe(200);
    expect((await postForm(onlyLink(pool), { action: 'postpone' })).status).toBe(409);
  });

  it('suggests a start two weeks after the system date, not the real one', async () => {
    system.clock.advance(100 * 86_400_000); // the pool's longest wait is 180 days: nobody gives up
    const id = await consentedChild(30);
    const page = await get(onlyLink(await poolEmail(system, id)));
    const expected = DateTime.fromJSDate(system.clock.now(), { zone: ZONE })
      .plus({ weeks: 2 })
      .startOf('week')
      .toISODate()!;
    expect(page.text).toMatch(
      new RegExp(`id="startDate"[^>]*value="${expected}"|value="${expected}"[^>]*id="startDate"`),
    );
  });
});
