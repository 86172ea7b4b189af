/**
 * Answers cut off half-way are finished, never left half-done. A group confirmation Confirming places each chosen
 * child (placement, seat, member), then starts the group; a crash between any two of those writes used to
 * leave a group that never started and children waiting for it for ever (the kill soak found it in CI).
 * Attendance and questionnaire answers are stored before their link is used, so a crash in between keeps them.
 * Here the process "dies" at each of those writes in turn (every DynamoDB call fails from that moment,
 * then the system is stopped) and is started again on the same data: the confirmation must be finished,
 * every child placed once, the group running and its schedule mailed. In AWS there is no restart to do
 * it, so the coordinator sending the form again must finish it too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system';
import { dieAt as crashAt, systemOnDisk, type DbCommand } from '../support/crash';
import { linksIn } from '../../infra/local/mailbox';
import {
  answerQuestionnaire,
  auditActions,
  completeHomeVisits,
  childId,
  consentedChild,
  onlyLink,
  poolEmail,
  postForm,
  runGroup,
  submitReferral,
} from '../support/local';

const PARTNERSHIP = 'stockholm-bris';
const disk = systemOnDisk('bris-confirm-crash-');
let system: LocalSystem;

const start = async () => {
  system = await disk.start();
};
beforeAll(start);
afterAll(async () => {
  await system?.stop();
  disk.remove();
});

type Command = DbCommand;
const values = (c: Command) => Object.values((c.input.ExpressionAttributeValues ?? {}) as object);
const sk = (c: Command) =>
  ((c.input.Key ?? c.input.Item) as Record<string, unknown> | undefined)?.SK as string | undefined;

/**
 * The two writes of the coordinator's request, side by side: the proposal link used (with a copy of the
 * group) and the group stored. A crash there is an error page, and she sends the form again.
 */
const REQUEST_CRASH_POINTS: [string, (c: Command) => boolean][] = [
  ['as the link is used', (c) => values(c).some((v) => typeof v === 'string' && v.startsWith('confirm:'))],
  [
    'after the link is used, before the group is stored',
    (c) => (c.input.Item as { entity?: string } | undefined)?.entity === 'group',
  ],
];

/**
 * The DynamoDB writes of the group's execution placing the children (PlaceMembers), in order, as a crash
 * could fall between them: her page has said the group is confirmed.
 */
const CRASH_POINTS: [string, (c: Command) => boolean, number][] = [
  ["after the first child, before the second child's placement", (c) => sk(c) === 'PLACEMENT', 2],
  [
    "after the second child's placement, before its seat",
    (c) => String(c.input.UpdateExpression ?? '').includes('ADD seatedReferrals'),
    2,
  ],
  [
    "after the second child's seat, before its member item",
    (c) => (c.input.Item as { entity?: string } | undefined)?.entity === 'group-member',
    2,
  ],
  [
    'after every child is placed, before the group is marked running',
    (c) => !!sk(c)?.startsWith('GROUP#') && values(c).includes('running'),
    1,
  ],
];

const dieAt = (matches: (c: Command) => boolean, nth: number) => crashAt(system, matches, nth);

let serial = 0;
/** Three 14-year-olds in the pool, and the coordinator's link to their band's pool. */
async function threeWaiting(): Promise<{ ids: string[]; link: string }> {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const n = 700 + serial++;
    ids.push(
      await consentedChild(system, n, {
        identityNumber: childId(14, system.clock.now(), { serial: n }),
        district: 'Skarpnäck',
      }),
    );
  }
  return { ids, link: onlyLink(await poolEmail(system, ids[2]!)) };
}

function confirm(link: string, ids: string[], startInDays = 14) {
  const fields: Record<string, string> = {
    action: 'confirm',
    format: 'weekend',
    startDate: new Date(system.clock.now().getTime() + startInDays * 86_400_000).toISOString().slice(0, 10),
  };
  for (const id of ids) fields[`member-${id}`] = 'on';
  return postForm(link, fields);
}

/** One running group holds exactly these children, once each; every other group confirmed for them took none. */
async function expectPlacedOnce(ids: string[]): Promise<string> {
  let groupId = '';
  // Until the group runs with every child, or a deadline that a loaded machine does not reach by accident.
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const referrals = await Promise.all(ids.map((id) => system.deps.store.getReferral(id)));
    groupId = referrals[0]?.group?.groupId ?? '';
    const group = groupId && (await system.deps.store.getGroup(PARTNERSHIP, groupId));
    if (group && group.status === 'running' && referrals.every((r) => r?.group?.groupId === groupId)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const group = (await system.deps.store.getGroup(PARTNERSHIP, groupId))!;
  expect(group?.status).toBe('running');
  expect(group.memberCount).toBe(ids.length);
  expect((await system.deps.store.listGroupMembers(groupId)).sort()).toEqual([...ids].sort());
  const others = (await system.deps.store.listGroups(PARTNERSHIP)).filter(
    (g) => g.groupId !== groupId && g.confirmation?.members.some((m) => ids.includes(m)),
  );
  for (const g of others) {
    expect(g.status).toBe('cancelled');
    expect(g.memberCount).toBe(0);
  }
  for (const id of ids) {
    const actions = (await system.deps.store.listAudit(id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'group-confirmed')).toHaveLength(1);
    expect(await system.deps.store.listPool(PARTNERSHIP, group.ageBand)).not.toContainEqual(
      expect.objectContaining({ referralId: id }),
    );
  }
  // Each seat is confirmed by the leader's home visit; then every family home gets the schedule, once.
  await completeHomeVisits(system, ids);
  for (const id of ids) {
    const carer = (await system.deps.store.getReferral(id))!.carer.email;
    await system.mailbox.waitFor((m) => m.template === 'group-schedule-carer' && m.to.includes(carer));
    expect(
      system.mailbox.list().filter((m) => m.template === 'group-schedule-carer' && m.to.includes(carer)),
    ).toHaveLength(1);
  }
  return groupId;
}

describe('a group confirmation cut off half-way', () => {
  for (const [when, matches, nth] of CRASH_POINTS)
    it(`is finished when the runtime starts again: crash ${when}`, async () => {
      const { ids, link } = await threeWaiting();
      const died = dieAt(matches, nth);
      const res = await confirm(link, ids);
      expect(res.status).toBe(200);
      await expect.poll(died, { timeout: 30_000 }).toBe(true);
      await system.stop();
      await start();
      await expectPlacedOnce(ids);
      // The link was used by the finished confirmation: sending the form again changes nothing.
      expect((await confirm(link, ids)).status).toBe(409);
      await expectPlacedOnce(ids);
    });

  for (const [when, matches] of REQUEST_CRASH_POINTS)
    it(`is finished when the coordinator sends the form again: crash ${when}`, async () => {
      const { ids, link } = await threeWaiting();
      const died = dieAt(matches, 1);
      expect((await confirm(link, ids)).status).toBe(500);
      expect(died()).toBe(true);
      await system.stop();
      await start();
      // Her error page asks her to try again: the link's copy of the group is stored and its workflow started.
      const again = await confirm(link, ids);
      expect(again.status).toBe(200);
      expect(again.text).toContain('Gruppen är bekräftad med 3 barn');
      await expectPlacedOnce(ids);
      expect((await confirm(link, ids)).status).toBe(409);
    });

  it('is finished when the coordinator sends the form again (as after a Lambda timeout in AWS)', async () => {
    const { ids, link } = await threeWaiting();
    const restore = system.deps.workflow.startGroup.bind(system.deps.workflow);
    system.deps.workflow.startGroup = () => Promise.reject(new Error('the function timed out here'));
    expect((await confirm(link, ids)).status).toBe(500);
    system.deps.workflow.startGroup = restore;
    // Marked running but never started: only sending the form again can start it without a restart.
    const again = await confirm(link, ids);
    expect(again.status).toBe(200);
    expect(again.text).toContain('Gruppen är bekräftad med 3 barn');
    await expectPlacedOnce(ids);
  });

  it('counts once when the same form is sent twice at the same moment', async () => {
    const { ids, link } = await threeWaiting();
    const answers = await Promise.all([confirm(link, ids), confirm(link, ids)]);
    // Mostly a double click, whose browser shows the second answer: both say the group is confirmed.
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    for (const a of answers) expect(a.text).toContain('Gruppen är bekräftad med 3 barn');
    await expectPlacedOnce(ids);
  });
});

describe('answers cut off half-way', () => {
  it("keep a custodian's consent cut off as its link is used: sent again, it counts once and the referral goes on", async () => {
    const n = 800 + serial++;
    const custodian = `custodian${n}@example.org`;
    const id = await submitReferral(system, {
      identityNumber: childId(8, system.clock.now(), { serial: n }),
      custodian1Email: custodian,
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    expect((await postForm(onlyLink(screening), { action: 'approve' })).status).toBe(200);
    const request = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes(custodian),
    );
    // The consent is recorded; the process dies as the link is used (its event beside that write).
    const died = dieAt((c) => values(c).includes('used') && values(c).includes('consent'), 1);
    expect((await postForm(onlyLink(request), { action: 'consent' })).status).toBe(500);
    expect(died()).toBe(true);
    await system.stop();
    await start();
    const kept = (await system.deps.store.getReferral(id))!;
    expect(kept.custodians[0]?.consent?.given).toBe(true);
    expect(kept.phase).toBe('consent');
    expect(await auditActions(system, id)).not.toContain('consent-given');
    // The link is still open: the custodian sends the form again (503 while the restarted execution enters
    // its wait again, as the page asks), and the referral goes on.
    await expect
      .poll(async () => (await postForm(onlyLink(request), { action: 'consent' })).status, {
        timeout: 30_000,
      })
      .toBe(200);
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).not.toBe('consent');
    const actions = await auditActions(system, id);
    expect(actions.filter((a) => a === 'consent-given')).toHaveLength(1);
    expect(actions.filter((a) => a === 'link-redeemed:consent')).toHaveLength(1);
    expect((await postForm(onlyLink(request), { action: 'refuse' })).status).toBe(409);
  });

  it('keep the attendance and the questionnaire answer, and the group goes on', async () => {
    const { ids, link } = await threeWaiting();
    // A later start than the other groups': its name (band and start date) is its own.
    expect((await confirm(link, ids, 30)).status).toBe(200);
    const groupId = await expectPlacedOnce(ids);
    const group = (await system.deps.store.getGroup(PARTNERSHIP, groupId))!;

    // Attendance for the first meeting: the process dies as the link is being used.
    system.clock.advance(Date.parse(group.meetings![0]!.endsAt) - system.clock.now().getTime() + 60_000);
    const request = await system.mailbox.waitFor(
      (m) => m.template === 'attendance-request' && m.subject.includes(group.name),
    );
    const fields: Record<string, string> = { action: 'record' };
    for (const id of ids) fields[`present-${id}`] = 'present';
    dieAt((c) => values(c).includes('record'), 1);
    expect((await postForm(onlyLink(request), fields)).status).toBe(500);
    await system.stop();
    await start();
    const kept = (await system.deps.store.listAttendance(groupId)).filter((a) => a.meeting === 1);
    expect(kept.map((a) => a.referralId).sort()).toEqual([...ids].sort());
    // The link is still open: the leader sends the form again and the group goes on to its end.
    expect((await postForm(onlyLink(request), fields)).status).toBe(200);
    for (const id of ids)
      expect(
        (await system.deps.store.listAudit(id)).filter(
          (e) => e.action === 'attendance-recorded' && e.detail?.meeting === '1',
        ),
      ).toHaveLength(1);
    await runGroup(system, groupId, {}, 2);

    // The family home's questionnaire: the process dies as the link is being used.
    const carer = (await system.deps.store.getReferral(ids[0]!))!.carer.email;
    const evaluation = await system.mailbox.waitFor(
      (m) => m.template === 'evaluation-request' && m.to.includes(carer),
    );
    const carerLink = linksIn(evaluation)[0]!;
    dieAt((c) => values(c).includes('answer'), 1);
    expect((await answerQuestionnaire(carerLink, 4)).status).toBe(500);
    await system.stop();
    await start();
    expect(await system.deps.store.listEvaluations(ids[0]!)).toHaveLength(1);
    expect((await answerQuestionnaire(carerLink, 2)).status).toBe(409); // answered already: nothing changes
    const [answer] = await system.deps.store.listEvaluations(ids[0]!);
    expect(Object.values(answer!.scores)).toEqual(Object.values(answer!.scores).map(() => 4));
  });
});
