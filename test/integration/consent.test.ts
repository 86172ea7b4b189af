/**
 * Consent in full, on the real state machine with the fast-forward clock: one and two custodians,
 * refusals, reminders, the deadline and its three choices, withdrawal from every phase, paper consent.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksIn, type MailboxMessage } from '../../infra/local/mailbox';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  completeHomeVisits,
  auditActions,
  childId as childAged,
  closedAndRetained,
  confirmGroup,
  get,
  onlyLink,
  poolEmail,
  postForm,
  submitReferral,
  withdrawalLinkIn,
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

const mail = (template: string, to: string, options: { afterId?: number; about?: string } = {}) =>
  system.mailbox.waitFor(
    (m) => m.template === template && m.to.includes(to) && (!options.about || m.text.includes(options.about)),
    {
      afterId: options.afterId,
    },
  );
const mailTo = (to: string) => system.mailbox.list().filter((m) => m.to.includes(to));
const lastId = () => system.mailbox.list().at(-1)?.id ?? 0;
const referral = async (id: string) => (await system.deps.store.getReferral(id))!;
const answer = (link: string, fields: Record<string, string>) => postForm(link, fields);

/** Submits and approves at screening; returns the id and the consent emails as they arrive. */
async function throughScreening(fields: Record<string, string>): Promise<string> {
  const id = await submitReferral(system, fields);
  await answer(onlyLink(await mail('screening-request', COORDINATOR, { about: id })), { action: 'approve' });
  return id;
}

/**
 * A new 12-year-old on the system's clock now. A test here moves the clock at most 14 days after it refers a
 * child (the consent deadline), and the last one needs the child to be 12 when its consent is recorded:
 * 30 days before the next birthday keeps the child 12 throughout, whatever the date the suite runs on.
 */
const childId = () => childAged(12, system.clock.now(), { minDaysToBirthday: 30 });
/** A committee decision taken `days` ago on the system's calendar (never in its future). */
const daysAgo = (days: number) =>
  DateTime.fromJSDate(system.clock.now(), { zone: 'Europe/Stockholm' }).minus({ days }).toISODate()!;

function twoCustodians(tag: string, extra: Record<string, string> = {}) {
  return {
    identityNumber: childId(),
    socialWorkerEmail: `sw-${tag}@kommun.example`,
    custodian1Name: 'Anna Mamma',
    custodian1Email: `mamma-${tag}@example.org`,
    custodian2Name: 'Bo Pappa',
    custodian2Contact: 'email',
    custodian2Email: `pappa-${tag}@example.org`,
    custodian2Language: 'en',
    ...extra,
  };
}

describe('every custodian is asked, in parallel', () => {
  it("one custodian consents: the legal basis is the custodians' consent", async () => {
    const id = await throughScreening({
      identityNumber: childId(),
      custodian1Email: 'solo@example.org',
      socialWorkerEmail: 'sw-solo@kommun.example',
    });
    const request = await mail('consent-request', 'solo@example.org');
    expect(linksIn(request)).toHaveLength(2); // answer, and withdraw
    await answer(onlyLink(request), { action: 'consent' });
    await poolEmail(system, id);
    expect((await referral(id)).legalBasis).toMatchObject({ kind: 'custodian-consent' });
    expect(mailTo('solo@example.org').map((m) => m.template)).toEqual(['consent-request']);
  });

  it('two custodians both consent, each through their own link and language', async () => {
    const id = await throughScreening(twoCustodians('both'));
    const [mother, father] = await Promise.all([
      mail('consent-request', 'mamma-both@example.org'),
      mail('consent-request', 'pappa-both@example.org'),
    ]);
    expect(mother.language).toBe('sv');
    expect(father.language).toBe('en');
    expect(onlyLink(mother)).not.toBe(onlyLink(father));

    await answer(onlyLink(mother), { action: 'consent' });
    // One consent is not enough: the workflow still waits for the other custodian.
    await expect.poll(() => system.engine.waitingState(id)).toBe('AwaitConsent');
    expect((await referral(id)).legalBasis).toBeUndefined();
    await answer(onlyLink(father), { action: 'consent' });

    await poolEmail(system, id);
    const r = await referral(id);
    expect(r.custodians.map((c) => c.consent?.given)).toEqual([true, true]);
    expect(r.legalBasis).toMatchObject({ kind: 'custodian-consent' });
    const actions = await auditActions(system, id);
    expect(actions.filter((a) => a === 'consent-given')).toHaveLength(2);
    expect(actions).toContain('legal-basis-recorded');
  });

  it('consent and refusal: closed as consent-refused, the social worker is told, the other link is no longer needed', async () => {
    const id = await throughScreening(twoCustodians('refuse'));
    const mother = await mail('consent-request', 'mamma-refuse@example.org');
    const father = await mail('consent-request', 'pappa-refuse@example.org');
    await answer(onlyLink(father), { action: 'refuse' });

    await mail('closed-consent-refused', 'sw-refuse@kommun.example', { about: id });
    const execution = await closedAndRetained(system, id);
    expect(execution?.states).toContain('Close');
    expect(system.engine.waitingState(id)).toBeUndefined(); // no stray callback left waiting
    const page = await get(onlyLink(mother));
    expect(page.status).toBe(410);
    expect(page.text).toContain('behöver inte längre något svar');
    expect((await answer(onlyLink(mother), { action: 'consent' })).status).toBe(410);
    expect(await referral(id)).toMatchObject({ status: 'closed', outcome: 'consent-refused' });
    expect(mailTo('sw-refuse@kommun.example').map((m) => m.template)).toEqual([
      'intake-received',
      'screening-approved',
      'closed-consent-refused',
    ]);
    expect(await auditActions(system, id)).toEqual(
      expect.arrayContaining(['consent-refused', 'referral-closed:consent-refused']),
    );
  });
});

describe('silence: reminders, a deadline, and the social worker decides', () => {
  /** Two silent custodians through both reminders to the escalation email. */
  async function silentUntilEscalation(tag: string): Promise<{ id: string; escalation: MailboxMessage }> {
    const id = await throughScreening(twoCustodians(tag));
    await mail('consent-request', `mamma-${tag}@example.org`);
    await mail('consent-request', `pappa-${tag}@example.org`);
    await expect.poll(() => system.engine.waitingState(id)).toBe('AwaitConsent');

    for (const [days, reminder] of [
      [3, 1],
      [4, 2],
    ] as const) {
      const mark = lastId();
      system.clock.advance(days * DAY);
      await mail('consent-reminder', `mamma-${tag}@example.org`, { afterId: mark });
      await mail('consent-reminder', `pappa-${tag}@example.org`, { afterId: mark });
      await expect
        .poll(async () => (await referral(id)).custodians.map((c) => c.remindersSent))
        .toEqual([reminder, reminder]);
    }
    const mark = lastId();
    system.clock.advance(7 * DAY); // day 14: the deadline
    const escalation = await mail('consent-escalation', `sw-${tag}@kommun.example`, { afterId: mark });
    for (const who of [`mamma-${tag}@example.org`, `pappa-${tag}@example.org`])
      expect(mailTo(who).map((m) => m.template)).toEqual([
        'consent-request',
        'consent-reminder',
        'consent-reminder',
      ]);
    // The round is over: a late click on the last reminder is refused; the social worker decides now.
    const lastReminder = mailTo(`mamma-${tag}@example.org`).at(-1)!;
    const late = await get(onlyLink(lastReminder));
    expect(late.status).toBe(410);
    expect((await answer(onlyLink(lastReminder), { action: 'consent' })).status).toBe(410);
    expect((await referral(id)).custodians[0]?.consent).toBeUndefined();
    const actions = await auditActions(system, id);
    expect(actions.filter((a) => a === 'consent-reminder-sent')).toHaveLength(4);
    expect(actions.filter((a) => a === 'consent-deadline-passed')).toHaveLength(2);
    return { id, escalation };
  }

  it('a reminder replaces the earlier link', async () => {
    const id = await throughScreening({ identityNumber: childId(), custodian1Email: 'remind@example.org' });
    const first = await mail('consent-request', 'remind@example.org');
    await expect.poll(() => system.engine.waitingState(id)).toBe('AwaitConsent');
    system.clock.advance(3 * DAY);
    const reminder = await mail('consent-reminder', 'remind@example.org');
    expect(reminder.subject).toMatch(/^Påminnelse/);
    expect((await get(onlyLink(first))).status).toBe(410);
    await expect.poll(() => system.engine.waitingState(id)).toBe('AwaitConsent');
    expect((await answer(onlyLink(reminder), { action: 'consent' })).status).toBe(200);
    await poolEmail(system, id);
  });

  it('extend: both custodians are asked again, and their consent lets the child go ahead', async () => {
    const { id, escalation } = await silentUntilEscalation('extend');
    const mark = lastId();
    expect((await answer(onlyLink(escalation), { action: 'extend' })).status).toBe(200);
    const mother = await mail('consent-request', 'mamma-extend@example.org', { afterId: mark });
    const father = await mail('consent-request', 'pappa-extend@example.org', { afterId: mark });
    expect((await referral(id)).consentRound?.number).toBe(2);
    await answer(onlyLink(mother), { action: 'consent' });
    await answer(onlyLink(father), { action: 'consent' });
    await poolEmail(system, id);
    expect((await referral(id)).legalBasis?.kind).toBe('custodian-consent');
    expect(await auditActions(system, id)).toContain('consent-deadline-extended');
  });

  it('committee decision under FB 6:13 a: recorded with date, case reference and who recorded it', async () => {
    const { id, escalation } = await silentUntilEscalation('committee');
    const missing = await answer(onlyLink(escalation), {
      action: 'committee-decision',
      decisionDate: '',
      caseReference: '',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Skriv beslutsdatum som ÅÅÅÅ-MM-DD.');
    expect(missing.text).toContain('Skriv beslutets diarienummer');
    const future = await answer(onlyLink(escalation), {
      action: 'committee-decision',
      decisionDate: daysAgo(-2), // the day after tomorrow: no midnight passing mid-test makes it today
      caseReference: 'SN 2026/77',
    });
    expect(future.text).toContain('kan inte ligga i framtiden');

    const decisionDate = daysAgo(10);
    const ok = await answer(onlyLink(escalation), {
      action: 'committee-decision',
      decisionDate,
      caseReference: 'SN 2026/77',
    });
    expect(ok.status).toBe(200);
    const pick = await poolEmail(system, id);
    const r = await referral(id);
    expect(r.legalBasis).toMatchObject({
      kind: 'committee-decision',
      citation: 'Föräldrabalken 6 kap. 13 a §',
      decisionDate,
      caseReference: 'SN 2026/77',
      recordedBy: { role: 'social-worker', name: 'Siv Socialsekreterare' },
    });
    // The coordinator sees which basis applies and who recorded it.
    const page = await get(onlyLink(pick));
    expect(page.text).toContain(
      `socialnämndens beslut (beslut ${decisionDate}, SN 2026/77) – Föräldrabalken 6 kap. 13 a §, registrerat av Siv Socialsekreterare`,
    );
    // The social worker is told consent is complete and on which basis, never the typed case reference.
    const complete = await mail('consent-complete', 'sw-committee@kommun.example', { about: id });
    expect(complete.text).toContain('Den rättsliga grunden som registrerats är socialnämndens beslut.');
    expect(complete.text).not.toContain('SN 2026/77');
    expect(
      mailTo('sw-committee@kommun.example').filter((m) => m.template === 'consent-complete'),
    ).toHaveLength(1);
  });

  it('close: the referral closes as consent-not-obtained', async () => {
    const { id, escalation } = await silentUntilEscalation('close');
    await answer(onlyLink(escalation), { action: 'close' });
    await mail('closed-consent-not-obtained', 'sw-close@kommun.example', { about: id });
    expect(await referral(id)).toMatchObject({ status: 'closed', outcome: 'consent-not-obtained' });
    expect(await auditActions(system, id)).toEqual(
      expect.arrayContaining(['consent-escalation-closed', 'referral-closed:consent-not-obtained']),
    );
  });
});

describe('a custodian without email', () => {
  it('the social worker records the paper consent through her own link, with a reference to the signed form', async () => {
    const id = await throughScreening({
      identityNumber: childId(),
      socialWorkerEmail: 'sw-paper@kommun.example',
      custodian1Email: 'digital@example.org',
      custodian2Name: 'Pappa Utan Epost',
      custodian2Contact: 'paper',
    });
    const digital = await mail('consent-request', 'digital@example.org');
    const paper = await mail('consent-request-paper', 'sw-paper@kommun.example');
    expect(paper.text).toContain('Pappa Utan Epost');
    expect(linksIn(paper)).toHaveLength(1); // the social worker withdraws through her receipt, not here
    await answer(onlyLink(digital), { action: 'consent' });
    const noReference = await answer(onlyLink(paper), { action: 'consent' });
    expect(noReference.status).toBe(400);
    expect(noReference.text).toContain('hänvisning till den underskrivna blanketten');
    expect(
      (await answer(onlyLink(paper), { action: 'consent', paperReference: 'Dok 2026-0412' })).status,
    ).toBe(200);

    await poolEmail(system, id);
    const r = await referral(id);
    expect(r.custodians[1]?.consent).toMatchObject({
      given: true,
      paperReference: 'Dok 2026-0412',
      recordedBy: { role: 'social-worker', name: 'Siv Socialsekreterare' },
    });
    expect(r.legalBasis?.kind).toBe('custodian-consent');
  });
});

describe('withdrawal at any step', () => {
  const withdrawn = async (id: string, sw: string) => {
    // The reason is a note, read on the staff page after sign-in: the emails only link to it.
    for (const m of [
      await mail('closed-withdrawn', sw, { about: id }),
      await mail('withdrawn-coordinator', COORDINATOR, { about: id }),
    ]) {
      expect(m.text).toContain(`${system.url}/staff/referrals/${id}`);
      for (const reason of ['Placeringen har upphört', 'Vi vill inte längre', 'Flyttar', 'Barnet vill inte'])
        expect(m.text).not.toContain(reason);
    }
    const execution = await closedAndRetained(system, id);
    expect(execution?.states.at(-1)).toBe('Close');
    expect(execution?.status).toBe('SUCCEEDED');
    const r = await referral(id);
    expect(r).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    return r;
  };

  it('during screening, by the social worker through her receipt', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(),
      socialWorkerEmail: 'sw-w1@kommun.example',
    });
    const receipt = await mail('intake-received', 'sw-w1@kommun.example', { about: id });
    const screening = await mail('screening-request', COORDINATOR, { about: id });
    const page = await get(withdrawalLinkIn(receipt));
    expect(page.text).toContain('Återkalla anmälan');
    const noReason = await answer(withdrawalLinkIn(receipt), { action: 'withdraw', reason: '' });
    expect(noReason.status).toBe(400);
    await answer(withdrawalLinkIn(receipt), { action: 'withdraw', reason: 'Placeringen har upphört.' });
    const r = await withdrawn(id, 'sw-w1@kommun.example');
    expect(r.withdrawal).toMatchObject({ by: { role: 'social-worker' }, reason: 'Placeringen har upphört.' });
    expect((await get(onlyLink(screening))).status).toBe(410);
    expect(await auditActions(system, id)).toEqual(
      expect.arrayContaining(['referral-withdrawn', 'referral-closed:withdrawn']),
    );
  });

  it('during consent, by a custodian through the link in her email', async () => {
    const id = await throughScreening(twoCustodians('w2'));
    const mother = await mail('consent-request', 'mamma-w2@example.org');
    const father = await mail('consent-request', 'pappa-w2@example.org');
    await answer(onlyLink(father), { action: 'consent' });
    await answer(withdrawalLinkIn(mother), { action: 'withdraw', reason: 'Vi vill inte längre.' });
    const r = await withdrawn(id, 'sw-w2@kommun.example');
    expect(r.withdrawal?.by).toEqual({ role: 'custodian', name: 'Anna Mamma' });
    expect((await get(onlyLink(mother))).status).toBe(410);
    expect(system.engine.waitingState(id)).toBeUndefined();
    // A second withdrawal link is refused: the referral is closed.
    expect((await answer(withdrawalLinkIn(father), { action: 'withdraw', reason: 'Igen' })).status).toBe(410);
  });

  it('while waiting for a group, and during sessions the seat in the group is freed', async () => {
    const waitingId = await throughScreening({
      identityNumber: childId(),
      custodian1Email: 'w3@example.org',
      socialWorkerEmail: 'sw-w3@kommun.example',
    });
    const consent3 = await mail('consent-request', 'w3@example.org');
    await answer(onlyLink(consent3), { action: 'consent' });
    await poolEmail(system, waitingId);
    await answer(withdrawalLinkIn(consent3), { action: 'withdraw', reason: 'Flyttar.' });
    await withdrawn(waitingId, 'sw-w3@kommun.example');

    const id = await throughScreening({
      identityNumber: childId(),
      custodian1Email: 'w4@example.org',
      socialWorkerEmail: 'sw-w4@kommun.example',
    });
    const consent4 = await mail('consent-request', 'w4@example.org');
    await answer(onlyLink(consent4), { action: 'consent' });
    const pool = await poolEmail(system, id);
    const { groupId, status } = await confirmGroup(system, onlyLink(pool), [id]);
    expect(status).toBe(200);
    await expect.poll(async () => (await referral(id)).phase).toBe('sessions');
    const seats = async () => (await system.deps.store.getGroup('stockholm-bris', groupId))!.memberCount;
    expect(await seats()).toBe(1);

    const receipt = await mail('intake-received', 'sw-w4@kommun.example', { about: id });
    await answer(withdrawalLinkIn(receipt), { action: 'withdraw', reason: 'Barnet vill inte fortsätta.' });
    await withdrawn(id, 'sw-w4@kommun.example');
    // The seat is freed before the second meeting, so it goes to the child who has waited longest in the band.
    const members = await system.deps.store.listGroupMembers(groupId);
    expect(members).not.toContain(id);
    expect(await seats()).toBe(members.length);
    expect(members).toHaveLength(1);
    const next = members[0]!;
    // The freed seat is proposed: the leader visits the family home before it is confirmed.
    await completeHomeVisits(system, [next]);
    await expect.poll(async () => (await referral(next)).phase).toBe('sessions');
    expect(await auditActions(system, next)).toContain('freed-seat-offered');
    expect(await auditActions(system, id)).toContain('group-seat-freed');
  });
});

describe('a child of 12 or more consents alone, where the partnership allows it', () => {
  it('is refused when the partnership does not allow it, and recorded with its citation when it does', async () => {
    const fields = {
      identityNumber: childId(),
      custodian1Email: 'child-basis@example.org',
      consentBasis: 'child',
    };
    const refused = await postForm(`${system.url}/referrals`, {
      ...(await import('../support/local')).referralForm(fields),
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('tillåter inte att barnet samtycker ensamt');

    const partnership = (await system.deps.store.getPartnership('stockholm-bris'))!;
    await system.deps.store.putPartnership({
      ...partnership,
      consent: {
        ...partnership.consent,
        childConsent: { ...partnership.consent.childConsent, allowed: true },
      },
    });
    try {
      const id = await throughScreening(fields);
      await poolEmail(system, id);
      expect((await referral(id)).legalBasis).toMatchObject({
        kind: 'child-consent',
        childAge: 12,
        citation: expect.stringContaining('2025:400'),
        recordedBy: { role: 'social-worker' },
      });
      expect(mailTo('child-basis@example.org')).toEqual([]);
    } finally {
      await system.deps.store.putPartnership(partnership);
    }
  });
});
