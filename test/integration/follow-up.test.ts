/**
 * Follow-up, closure and retention on the real state machine with the fast-forward clock: evaluation,
 * summary to the social worker, later follow-up with one reminder, closure as completed, and — a
 * retention period after closing — erasure of everything personal while an anonymised record stays.
 * A silent family is reminded on the partnership's days and the follow-up still closes as completed,
 * with each unanswered questionnaire on the timeline in words.
 */
import { DateTime } from 'luxon';
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
    expect(incomplete.text).toContain('Välj ett svar på frågan');
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

    // The later follow-up goes three months (89–92 days) after the first questionnaire; its reminder
    // 14 days after that, its end 28 days after it (the defaults).
    mark = lastId();
    system.clock.advance(80 * DAY);
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
    // The summary's event records the group's facts it told: erasure keeps them without reading the group.
    expect((await system.deps.store.listAudit(id)).find((e) => e.action === 'summary-sent')?.detail).toEqual({
      format: 'weekend',
      scheduled: '4',
      attended: '3',
    });
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

describe('a family that answers nothing', () => {
  /** Signs in by the emailed link; resolves with the session cookie. */
  async function signIn(email: string): Promise<string> {
    const mark = lastId();
    await postForm(`${system.url}/staff/sign-in`, { email });
    const sent = await mail('staff-sign-in', (m) => m.to.includes(email), mark);
    const link = /https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(sent.text)![0];
    const res = await fetch(`${system.url}${new URL(link).pathname}`, { method: 'POST', redirect: 'manual' });
    return res.headers.getSetCookie()[0]!.split(';')[0]!;
  }
  /** Moves the clock to `instant` and waits for the email it should bring. */
  async function at(instant: number, template: string, to: string) {
    const mark = lastId();
    system.clock.advance(instant - system.clock.now().getTime());
    return mail(template, (m) => m.to.includes(to), mark);
  }
  const reminders = (to: string) =>
    system.mailbox.list().filter((m) => m.template === 'evaluation-reminder' && m.to.includes(to));

  it('is reminded on the configured days, and the follow-up closes as completed with "not answered" on the timeline', async () => {
    // The partnership's own policy (data), not the defaults: the first round is reminded on days 3 and 6
    // and ends on day 10; the later one is reminded on day 5 and ends on day 12.
    const p = (await system.deps.store.getPartnership('stockholm-bris'))!;
    await system.deps.store.putPartnership({
      ...p,
      followUp: {
        ...p.followUp,
        questionnaires: {
          first: { reminderDays: [3, 6], answerDays: 10 },
          later: { reminderDays: [5], answerDays: 12 },
        },
      },
    });
    try {
      const carer = 'silent-carer@familjehem.example';
      const id = await submitReferral(system, {
        identityNumber: childId(11, system.clock.now()),
        childFirstName: 'Tyra',
        carerEmail: carer,
        custodian1Email: 'custodian-silent-fu@example.org',
        socialWorkerEmail: 'sw-silent-fu@farsta.example',
      });
      await postForm(onlyLink(await mail('screening-request', (m) => m.text.includes(id))), {
        action: 'approve',
      });
      await postForm(
        onlyLink(await mail('consent-request', (m) => m.to.includes('custodian-silent-fu@example.org'))),
        { action: 'consent' },
      );
      const { groupId } = await confirmGroup(system, onlyLink(await poolEmail(system, id)), [id]);
      await runGroup(system, groupId);
      const request = await mail('evaluation-request', (m) => m.to.includes(carer));
      // The follow-up's events count from when the first questionnaire went out (recorded just after).
      const firstSent = async () =>
        (await system.deps.store.listAudit(id)).find(
          (e) => e.action === 'follow-up-sent' && e.detail?.round === 'first',
        );
      await expect.poll(firstSent).toBeDefined();
      const started = Date.parse((await firstSent())!.at);

      // The first round: reminded on day 3 and day 6 (with the request's links, which still work), then
      // over on day 10.
      const first = await at(started + 3 * DAY, 'evaluation-reminder', carer);
      expect(first.subject).toMatch(/^Påminnelse/);
      expect(linksIn(first)).toEqual(linksIn(request));
      expect(reminders(carer)).toHaveLength(1);
      await at(started + 6 * DAY, 'evaluation-reminder', carer);
      expect(reminders(carer)).toHaveLength(2);
      system.clock.advance(started + 10 * DAY - system.clock.now().getTime());
      await expect
        .poll(async () => (await auditActions(system, id)).filter((a) => a === 'questionnaire-not-answered'))
        .toHaveLength(2);
      // Its links have expired with the round, and are not renewed.
      const expired = await get(linksIn(first)[0]!);
      expect(expired.status).toBe(410);
      expect(expired.text).not.toContain('/renew');
      const summary = await at(started + 14 * DAY, 'follow-up-summary', 'sw-silent-fu@farsta.example');
      expect(summary.text).toContain('barnet har inte svarat, familjehemmet har inte svarat');

      // The later round, three months after the first: reminded on its day 5, over on day 12.
      const later = DateTime.fromMillis(started).plus({ months: 3 }).toMillis();
      await at(later, 'later-follow-up', carer);
      await at(later + 5 * DAY, 'evaluation-reminder', carer);
      expect(reminders(carer)).toHaveLength(3);
      await at(later + 12 * DAY, 'closed-completed', 'sw-silent-fu@farsta.example');
      await closedAndRetained(system, id);
      expect(await system.deps.store.getReferral(id)).toMatchObject({
        status: 'closed',
        outcome: 'completed',
      });
      const events = await system.deps.store.listAudit(id);
      expect(events.filter((e) => e.action === 'questionnaire-not-answered').map((e) => e.detail)).toEqual(
        expect.arrayContaining([
          { round: 'first', respondent: 'carer' },
          { round: 'first', respondent: 'child' },
          { round: 'later', respondent: 'carer' },
          { round: 'later', respondent: 'child' },
        ]),
      );
      expect(events.map((e) => e.action)).not.toContain('step-failed');

      // In words on the staff timeline.
      const page = await fetch(`${system.url}/staff/referrals/${id}`, {
        headers: { cookie: await signIn('samordnare@bris.example') },
      }).then((r) => r.text());
      expect(page).toContain('Frågorna besvarades inte (det är frivilligt att svara)');
      expect(page).toContain('senare utvärderingen, familjehemmets frågor');
      expect(page).not.toContain('questionnaire-not-answered');
    } finally {
      await system.deps.store.putPartnership(p);
    }
  });
});
