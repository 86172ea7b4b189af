/**
 * Follow-up, closure and retention on the real state machine with the fast-forward clock: evaluation,
 * summary to the social worker, later follow-up with one reminder, closure as completed, and — a
 * retention period after closing — erasure of everything personal while an anonymised record stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksIn } from '../../infra/local/mailbox';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { report } from '../../functions/phases/staff/staff';
import {
  advanceToAndSweep,
  answerQuestionnaire,
  auditActions,
  closedAndRetained,
  confirmGroup,
  childId,
  get,
  onlyLink,
  poolEmail,
  postForm,
  runGroup,
  submitReferral,
} from '../support/local';

let system: LocalSystem;
const DAY = 86_400_000;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  // These tests move the clock about three years ahead: let the partnership (data) run long enough.
  const p = (await system.deps.store.getPartnership('stockholm-bris'))!;
  const year = system.clock.now().getUTCFullYear();
  await system.deps.store.putPartnership({ ...p, periodEnd: `${year + 10}-12-31` });
});
afterAll(async () => {
  await system?.stop();
});

const mail = (template: string, about: (m: { to: string[]; text: string }) => boolean, afterId = 0) =>
  system.mailbox.waitFor((m) => m.template === template && about(m), { afterId });
const lastId = () => system.mailbox.list().at(-1)?.id ?? 0;

describe('after the last meeting', () => {
  it('every other ending is erased after retention too: declined at screening', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(14, system.clock.now()),
      childFirstName: 'Ebbe',
    });
    await postForm(onlyLink(await mail('screening-request', (m) => m.text.includes(id))), {
      action: 'decline',
      reason: 'Bor utanför Stockholm.',
    });
    await closedAndRetained(system, id);
    expect((await system.deps.store.getReferral(id))?.outcome).toBe('declined');
    await advanceToAndSweep(system, new Date(system.clock.now().getTime() + 366 * DAY));
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.status as string).toBe('erased');
    const after = JSON.stringify(await system.deps.store.rawReferralItems(id));
    for (const p of ['Ebbe', 'Bor utanför Stockholm', 'siv@farsta.example', 'Siv Socialsekreterare'])
      expect(after, p).not.toContain(p);
    expect(after).toContain('"outcome":"declined"');
  });

  it('evaluation, summary, later follow-up with a reminder, closed as completed; erased after retention, still counted', async () => {
    // 11 at intake fixes the band (10-12) the anonymised record keeps.
    const identityNumber = childId(11, system.clock.now());
    const id = await submitReferral(system, {
      identityNumber,
      childFirstName: 'Tindra',
      district: 'Skärholmen',
      carerEmail: 'carer-fu@familjehem.example',
      custodian1Email: 'custodian-fu@example.org',
      socialWorkerEmail: 'sw-fu@skarholmen.example',
    });
    await postForm(onlyLink(await mail('screening-request', (m) => m.text.includes(id))), {
      action: 'approve',
    });
    await postForm(
      onlyLink(await mail('consent-request', (m) => m.to.includes('custodian-fu@example.org'))),
      { action: 'consent' },
    );
    const { groupId } = await confirmGroup(system, onlyLink(await poolEmail(system, id)), [id], {
      format: 'weekend',
    });
    await runGroup(system, groupId, { 2: [id] });

    // Evaluation: one email to the family home, with the carer's questionnaire and the child's.
    const evaluation = await mail('evaluation-request', (m) => m.to.includes('carer-fu@familjehem.example'));
    const [carerLink, childLink] = linksIn(evaluation);
    const childPage = await get(childLink!);
    expect(childPage.text).toContain('Hur var det i gruppen?');
    const incomplete = await postForm(childLink!, { action: 'answer', 'item-liked': '5' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.text).toContain('Välj ett svar 1–5');
    expect((await answerQuestionnaire(childLink!, 5, 'Jag fick en kompis, hon heter Maja')).status).toBe(200);
    expect((await answerQuestionnaire(childLink!, 1)).status).toBe(409); // single use
    // The carer does not answer.

    let mark = lastId();
    system.clock.advance(15 * DAY);
    const summary = await mail('follow-up-summary', (m) => m.text.includes(id), mark);
    expect(summary.to).toEqual(['sw-fu@skarholmen.example']);
    expect(summary.text).toContain('stödhelg');
    expect(summary.text).toContain('vid 3 av 4 träffar');
    expect(summary.text).toContain('barnet har svarat, familjehemmet har inte svarat');
    // No free text in email: the summary says there is a comment and links to the staff page.
    expect(summary.text).not.toContain('Maja');
    expect(summary.text).toContain('I utvärderingen finns en kommentar i fritext.');
    expect(summary.text).toContain(`${system.url}/staff/referrals/${id}`);

    mark = lastId();
    system.clock.advance(95 * DAY);
    await mail('later-follow-up', (m) => m.to.includes('carer-fu@familjehem.example'), mark);
    mark = lastId();
    system.clock.advance(15 * DAY);
    const reminder = await mail(
      'evaluation-reminder',
      (m) => m.to.includes('carer-fu@familjehem.example'),
      mark,
    );
    expect((await answerQuestionnaire(linksIn(reminder)[0]!, 3, 'Lugnare hemma.')).status).toBe(200);
    mark = lastId();
    system.clock.advance(15 * DAY);
    await mail('closed-completed', (m) => m.text.includes(id), mark);
    await closedAndRetained(system, id);
    const closed = await system.deps.store.getReferral(id);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'completed' });
    expect(carerLink).toBeDefined();

    // Retention: twelve months after closing, nothing personal is left.
    const personal = [
      'Tindra',
      'Siv Socialsekreterare',
      'sw-fu@skarholmen.example',
      'carer-fu@familjehem.example',
      'custodian-fu@example.org',
      'Vera Vårdnadshavare',
      'Fia Familjehem',
      'Maja',
      'Lugnare hemma',
      closed!.identityHash,
      closed!.child.birthDate,
      identityNumber,
    ];
    const before = JSON.stringify(await system.deps.store.rawReferralItems(id));
    expect(personal.filter((p) => before.includes(p)).length).toBeGreaterThan(5); // it was there
    await advanceToAndSweep(system, new Date(system.clock.now().getTime() + 366 * DAY));
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.status as string).toBe('erased');
    // Erased by the daily sweep: the referral's four executions (screening, consent and waiting for a
    // group, the group, the follow-up) each continued the next, and the last ended at Close.
    expect(system.engine.history.filter((e) => e.referralId === id).map((e) => e.states.at(-1))).toEqual([
      'ContinueToConsent',
      'ContinueInGroup',
      'ContinueToFollowUp',
      'Close',
    ]);

    const after = JSON.stringify(await system.deps.store.rawReferralItems(id));
    for (const p of personal) expect(after, p).not.toContain(p);
    for (const link of linksIn(evaluation)) expect((await get(link)).status).toBe(404);
    const record = (await system.deps.store.rawReferralItems(id)).find((i) => i.SK === 'REFERRAL')!;
    expect(record).toMatchObject({
      status: 'erased',
      district: 'Skärholmen',
      ageBand: '10-12',
      format: 'weekend',
      outcome: 'completed',
      attendedMeetings: 3,
      scheduledMeetings: 4,
      answerScores: { 'first-child': 5, 'later-carer': 3 },
      GSI1PK: 'DISTRICT#Skärholmen',
    });
    // The partnership report still counts the erased referral, from its anonymised record.
    const coordinator = {
      email: 'samordnare@bris.example',
      name: 'S',
      role: 'coordinator' as const,
      expiresAt: '9999',
    };
    const figures = await report(coordinator, '2000-01-01', '2099-12-31', system.deps);
    expect(figures.districts.find((d) => d.district === 'Skärholmen')).toMatchObject({
      referrals: 1,
      screenedIn: 1,
      consented: 1,
      placed: 1,
      completed: 1,
      attendanceRate: 0.75,
      weekend: 1,
      childScore: 5,
      carerScore: 3,
    });
    const actions = await auditActions(system, id);
    expect(actions.at(-1)).toBe('personal-data-erased');
    expect(actions).toContain('summary-sent');
    expect(actions).toContain('follow-up-reminder-sent');
  });
});

describe('a child who never gets a group', () => {
  it('closes as no-group after the longest wait in the pool, and the social worker is told', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(11, system.clock.now()), // band 10-12, fixed at intake
      district: 'Bromma',
      custodian1Email: 'nogroup@example.org',
      socialWorkerEmail: 'sw-nogroup@bromma.example',
    });
    await postForm(onlyLink(await mail('screening-request', (m) => m.text.includes(id))), {
      action: 'approve',
    });
    await postForm(onlyLink(await mail('consent-request', (m) => m.to.includes('nogroup@example.org'))), {
      action: 'consent',
    });
    await poolEmail(system, id);
    for (let week = 0; week < 27; week++) system.clock.advance(7 * DAY);
    const closed = await mail('closed-no-group', (m) => m.to.includes('sw-nogroup@bromma.example'));
    expect(closed.text).toContain('längsta väntetiden');
    await closedAndRetained(system, id);
    expect(await system.deps.store.getReferral(id)).toMatchObject({ status: 'closed', outcome: 'no-group' });
    expect(await auditActions(system, id)).toEqual(
      expect.arrayContaining(['no-group-in-time', 'referral-closed:no-group']),
    );
    expect(await system.deps.store.listPool('stockholm-bris', '10-12')).not.toContainEqual(
      expect.objectContaining({ referralId: id }),
    );
  });
});
