/**
 * One referral through the real state machine (the ASL synthesized by CDK, run by
 * aws-local-stepfunctions), on dynalite and the SMTP mailbox, driven over HTTP only.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { DateTime } from 'luxon';
import { linksIn, renewalOf } from '../../infra/local/mailbox';
import {
  auditActions,
  CHILD_IDS,
  childId,
  advanceToAndSweep,
  closedAndRetained,
  completeFollowUp,
  dueErasureOf,
  nextSweep,
  confirmGroup,
  get,
  onlyLink,
  poolEmail,
  postForm,
  referralForm,
  referenceFrom,
  runGroup,
  submitReferral,
} from '../support/local';

let system: LocalSystem;
const DAY = 86_400_000;
/** The referral of the first test, which the last one (retention) sees erased. */
let happyPath: string | undefined;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

const mail = (template: string, to: string, referralId?: string) =>
  system.mailbox.waitFor(
    (m) => m.template === template && m.to.includes(to) && (!referralId || m.text.includes(referralId)),
  );

async function answer(link: string, fields: Record<string, string>) {
  return postForm(link, fields);
}

async function referral(id: string) {
  return (await system.deps.store.getReferral(id))!;
}

describe('a referral travels the whole way', () => {
  it('form → screening → consent → group → sessions → follow-up → closed, with an audit event for every step', async () => {
    const custodian = 'custodian-happy@example.org';
    const id = await submitReferral(system, { identityNumber: CHILD_IDS[0]!, custodian1Email: custodian });

    const receipt = await mail('intake-received', 'siv@farsta.example', id);
    expect(receipt.subject).toContain(id);

    const screening = await mail('screening-request', 'samordnare@bris.example', id);
    expect((await answer(onlyLink(screening), { action: 'approve' })).status).toBe(200);

    const consent = await mail('consent-request', custodian);
    expect((await answer(onlyLink(consent), { action: 'consent' })).status).toBe(200);

    const pool = await poolEmail(system, id);
    expect(pool.to).toEqual(['samordnare@bris.example']);
    const page = await get(onlyLink(pool));
    expect(page.text).toContain(id);
    expect(page.text).toContain('Bilda grupp: 10-12 år');
    const confirmed = await confirmGroup(system, onlyLink(pool), [id], { format: 'weekend' });
    expect(confirmed.status).toBe(200);
    const schedule = await mail('group-schedule-carer', 'fia@example.org');
    expect(schedule.attachments.map((a) => a.filename)).toEqual(['bris-stodgrupp.ics']);
    await runGroup(system, confirmed.groupId);

    await completeFollowUp(system, id, 'fia@example.org');

    happyPath = id;
    const execution = await closedAndRetained(system, id);
    // The execution ends at Close: the erasure after the retention period is the daily sweep's.
    expect(execution?.status).toBe('SUCCEEDED');
    expect(execution?.states).toEqual([
      'Intake',
      'ScreeningTimer',
      'Screening',
      'ContinueToConsent',
      'PlanConsent',
      'ConsentTimer',
      'AwaitConsent',
      'EvaluateConsent',
      'PoolTimer',
      'GroupAssignment',
      'ContinueInGroup',
      'HomeVisitTimer',
      'HomeVisit',
      'Sessions',
      'ContinueToFollowUp',
      'FollowUp',
      // The follow-up's six events in turn (the defaults): the first round's reminder and end, the
      // summary, the later follow-up, its reminder and its end.
      ...Array<string[]>(6).fill(['UntilFollowUpEvent', 'FollowUpEvent']).flat(),
      'Close',
    ]);
    // Four executions, each under AWS's one-year limit: screening, consent and waiting for a group, the
    // group, the follow-up.
    expect(execution?.executions).toBe(4);

    const r = await referral(id);
    expect(r).toMatchObject({
      status: 'closed',
      phase: 'closed',
      outcome: 'completed',
      group: { groupId: confirmed.groupId },
    });
    expect(await auditActions(system, id)).toEqual([
      'referral-submitted',
      'child-wish-recorded',
      'intake-accepted',
      'step-requested',
      'link-redeemed:approve',
      'consent-round-started',
      'step-requested',
      // A link's redemption is recorded by its single-use update, before the answer takes effect.
      'link-redeemed:consent',
      'consent-given',
      'legal-basis-recorded',
      'step-requested',
      'waiting-for-group',
      'group-confirmed',
      // The coordinator confirmed the planner's proposal: recorded with the figures she saw.
      'group-proposal-answered',
      // The home visit: asked of the leader, recorded by her, the seat confirmed; then the sessions.
      'step-requested',
      'link-redeemed:visit-done',
      'home-visit-done',
      'seat-confirmed',
      'step-requested',
      'attendance-recorded',
      'attendance-recorded',
      'attendance-recorded',
      'attendance-recorded',
      'follow-up-sent',
      'link-redeemed:answer',
      'link-redeemed:answer',
      'summary-sent',
      'follow-up-sent',
      'link-redeemed:answer',
      // The child did not answer the later questionnaire (the family home did): reminded, then recorded.
      'follow-up-reminder-sent',
      'questionnaire-not-answered',
      'referral-closed:completed',
    ]);
    expect(r.legalBasis).toMatchObject({ kind: 'custodian-consent' });
    // Those that name it in their words (every link's address names what it is for: the carer's too).
    const emailsAboutIt = system.mailbox
      .list()
      .filter((m) => m.text.replace(/\S+\/links\/\S+/g, '').includes(id) || m.to.includes(custodian));
    expect(emailsAboutIt.map((m) => m.template)).toEqual([
      'intake-received',
      'screening-request',
      'screening-approved',
      'consent-request',
      'consent-complete',
      'pool-waiting',
      // To the group leader: the home visit that confirms the seat.
      'home-visit-request',
      'group-placed',
      'follow-up-summary',
      'closed-completed',
    ]);
    // Closed: the same child may be referred again.
    const again = await postForm(
      `${system.url}/referrals`,
      referralForm({ identityNumber: CHILD_IDS[0]!, custodian1Email: 'x@example.org' }),
    );
    expect(again.status).toBe(201);
  });

  it('a decline at screening closes the referral and tells the social worker where to read why', async () => {
    const id = await submitReferral(system, {
      identityNumber: CHILD_IDS[1]!,
      custodian1Email: 'c-decline@example.org',
    });
    const screening = await mail('screening-request', 'samordnare@bris.example', id);
    const missingReason = await answer(onlyLink(screening), { action: 'decline', reason: '' });
    expect(missingReason.status).toBe(400);
    expect(missingReason.text).toContain('Skriv ett skäl till beslutet');
    expect((await referral(id)).phase).toBe('screening');

    expect(
      (await answer(onlyLink(screening), { action: 'decline', reason: 'Barnet går redan i en annan grupp.' }))
        .status,
    ).toBe(200);
    // The reason is a note: the email says there is one and links to the staff page (sign-in required).
    const closed = await mail('closed-declined', 'siv@farsta.example', id);
    expect(closed.text).not.toContain('Barnet går redan i en annan grupp.');
    expect(closed.html).not.toContain('Barnet går redan i en annan grupp.');
    expect(closed.text).toContain('Bris har skrivit en motivering till beslutet.');
    expect(closed.text).toContain(`${system.url}/staff/referrals/${id}`);
    expect(linksIn(closed)).toEqual([]); // a plain link, no capability
    expect((await get(`${system.url}/staff/referrals/${id}`)).headers.get('location')).toBe('/staff/sign-in');
    await closedAndRetained(system, id);
    expect(await referral(id)).toMatchObject({ status: 'closed', outcome: 'declined' });
    expect(system.mailbox.list().some((m) => m.to.includes('c-decline@example.org'))).toBe(false);
  });

  it('a refused consent closes the referral as consent-refused', async () => {
    const custodian = 'c-refuse@example.org';
    const id = await submitReferral(system, {
      identityNumber: CHILD_IDS[2]!,
      custodian1Email: custodian,
      custodian1Language: 'en',
    });
    await answer(onlyLink(await mail('screening-request', 'samordnare@bris.example', id)), {
      action: 'approve',
    });
    const consent = await mail('consent-request', custodian);
    expect(consent.language).toBe('en');
    expect(consent.subject).toBe('Your consent: a Bris support group');
    const refused = await answer(onlyLink(consent), { action: 'refuse' });
    expect(refused.text).toContain('do not consent');
    await mail('closed-consent-refused', 'siv@farsta.example', id);
    await closedAndRetained(system, id);
    expect(await referral(id)).toMatchObject({
      status: 'closed',
      outcome: 'consent-refused',
      custodians: [expect.objectContaining({ consent: expect.objectContaining({ given: false }) })],
    });
  });
});

describe('links are capabilities', () => {
  it('GET never acts, a second POST is refused as already used, and both refusals are audited', async () => {
    const id = await submitReferral(system, {
      identityNumber: CHILD_IDS[3]!,
      custodian1Email: 'c-links@example.org',
    });
    const link = onlyLink(await mail('screening-request', 'samordnare@bris.example', id));
    for (let i = 0; i < 3; i++) {
      const page = await get(link);
      expect(page.status).toBe(200);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.text).toContain('Godkänn anmälan');
    }
    expect(system.engine.waitingState(id)).toBe('Screening');
    expect((await referral(id)).screening).toBeUndefined();

    expect((await answer(link, { action: 'approve' })).status).toBe(200);
    const second = await answer(link, { action: 'decline', reason: 'Ändrade mig' });
    expect(second.status).toBe(409);
    expect(second.text).toContain('redan använd');
    expect((await referral(id)).screening?.decision).toBe('approved');
    expect(await auditActions(system, id)).toContain('link-redeemed:refused-used');

    const unknown = await get(`${system.url}/links/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    const malformed = await postForm(`${system.url}/links/not-a-token`, { action: 'approve' });
    expect(malformed.status).toBe(404);
    const refused = await system.deps.store.listLinkAudit(system.clock.now().toISOString().slice(0, 10));
    expect(refused.map((e) => `${e.action}:${e.detail?.outcome}:${e.linkHashPrefix}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^link-opened:refused-unknown:[0-9a-f]{12}$/),
        'link-redeemed:refused-unknown:malformed',
      ]),
    );
  });

  it('a link for one step cannot perform another step', async () => {
    const custodian = 'c-wrongstep@example.org';
    const id = await submitReferral(system, { identityNumber: CHILD_IDS[4]!, custodian1Email: custodian });
    await answer(onlyLink(await mail('screening-request', 'samordnare@bris.example', id)), {
      action: 'approve',
    });
    const consentLink = onlyLink(await mail('consent-request', custodian));
    const wrong = await answer(consentLink, { action: 'approve' });
    expect(wrong.status).toBe(400);
    // The consent email goes out from inside the task that starts the wait, so on a busy machine the engine
    // may register the wait just after the email arrives: wait for it (a wrong answer would have moved on).
    await expect.poll(() => system.engine.waitingState(id), { timeout: 30_000 }).toBe('AwaitConsent');
    expect((await referral(id)).custodians[0]?.consent).toBeUndefined();
  });

  it('an expired link offers a fresh one to the same recipient, which then works; the pool wait then re-runs weekly', async () => {
    const custodian = 'c-expired@example.org';
    // Reminders replace a link before it expires; a partnership without screening reminders lets it expire.
    const partnership = (await system.deps.store.getPartnership('stockholm-bris'))!;
    await system.deps.store.putPartnership({
      ...partnership,
      stepTiming: { screening: { reminderDays: [], escalationDays: 18, deadlineDays: 21 } },
    });
    const id = await submitReferral(system, { identityNumber: CHILD_IDS[5]!, custodian1Email: custodian });
    const screening = await mail('screening-request', 'samordnare@bris.example', id);
    const oldLink = onlyLink(screening);
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    await system.deps.store.putPartnership(partnership);

    system.clock.advance(15 * DAY); // links live 14 days; this screening step waits 21
    const expired = await get(oldLink);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('Skicka en ny länk');
    expect((await answer(oldLink, { action: 'approve' })).status).toBe(410);

    const renewed = await postForm(renewalOf(oldLink), {});
    expect(renewed.status).toBe(200);
    const fresh = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
      { afterId: screening.id },
    );
    expect(fresh.to).toEqual(['samordnare@bris.example']);
    expect(fresh.text).toContain('ny länk');
    const newLink = onlyLink(fresh);
    expect(newLink).not.toBe(oldLink);
    expect((await get(oldLink)).status).toBe(410);

    expect((await answer(newLink, { action: 'approve' })).status).toBe(200);
    expect(
      (await answer(onlyLink(await mail('consent-request', custodian)), { action: 'consent' })).status,
    ).toBe(200);
    await poolEmail(system, id);
    expect(await auditActions(system, id)).toEqual(
      expect.arrayContaining([
        'link-opened:refused-expired',
        'link-redeemed:refused-expired',
        'link-renewal:renewed',
      ]),
    );

    // Waiting in the pool is not a failure: the wait re-runs every week so the planner looks again.
    const waits = async () =>
      (await auditActions(system, id)).filter((a) => a === 'waiting-for-group').length;
    // The pool email goes out before the wait records its event: count from that first event.
    await expect.poll(waits).toBe(1);
    system.clock.advance(8 * DAY);
    await expect.poll(waits).toBe(2);
    expect(await referral(id)).toMatchObject({ status: 'active', phase: 'group-assignment' });
    // The audit event comes just before the wait is bound to its link.
    await expect.poll(() => system.engine.waitingState(id)).toBe('GroupAssignment');
  });
});

describe('link URLs', () => {
  it('come from the configured base URL, never from the Host header', async () => {
    const form = new URLSearchParams(
      referralForm({ identityNumber: childId(12, system.clock.now()), custodian1Email: 'host@example.org' }),
    ).toString();
    const port = new URL(system.url).port;
    const mark = system.mailbox.list().at(-1)?.id ?? 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/referrals',
          headers: {
            host: 'evil.example',
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(form),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(form);
    });
    expect(status).toBe(201);
    const screening = await system.mailbox.waitFor((m) => m.template === 'screening-request', {
      afterId: mark,
    });
    expect(linksIn(screening).every((l) => l.startsWith(`${system.url}/links/`))).toBe(true);
    expect(system.mailbox.list().some((m) => m.text.includes('evil.example'))).toBe(false);
  });
});

describe('intake refuses bad input and duplicates', () => {
  it('renders field errors next to the fields with 400 and stores nothing', async () => {
    const before = (await system.deps.store.listReferralsByStatus('active')).length;
    const res = await postForm(
      `${system.url}/referrals`,
      referralForm({ childFirstName: '', custodian1Email: 'nope', identityNumber: '20150312-1238' }),
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="childFirstName-error"');
    expect(res.text).toContain('Fyll i barnets förnamn.');
    expect(res.text).toContain('aria-invalid="true"');
    // Kept for the person to correct (issue 14): her own input, in a no-store page, never in a URL.
    expect(res.text).toContain('value="20150312-1238"');
    expect(res.text).toContain('Kontrollsiffran i barnets personnummer stämmer inte.');
    expect((await system.deps.store.listReferralsByStatus('active')).length).toBe(before);
  });

  it('refuses a child outside 7–18 with the reason', async () => {
    // Five years old on the system's date, whatever that is (a fixed birth date grows into the range).
    const tooYoung = childId(5, system.clock.now());
    const res = await postForm(`${system.url}/referrals`, referralForm({ identityNumber: tooYoung }));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Stödgrupperna är för barn 7–18 år/);
  });

  it('the same form posted twice creates one referral; another form for an active child is refused', async () => {
    const child = childId(10, system.clock.now());
    const form = referralForm({ identityNumber: child, custodian1Email: 'c-dup@example.org' });
    const [a, b] = await Promise.all([
      postForm(`${system.url}/referrals`, form),
      postForm(`${system.url}/referrals`, form),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(referenceFrom(a.text)).toBe(referenceFrom(b.text));
    const id = referenceFrom(a.text);
    await mail('screening-request', 'samordnare@bris.example', id);
    expect(
      system.mailbox.list().filter((m) => m.template === 'intake-received' && m.text.includes(id)),
    ).toHaveLength(1);

    const other = await postForm(`${system.url}/referrals`, referralForm({ identityNumber: child }));
    expect(other.status).toBe(409);
    expect(other.text).toContain('redan en aktiv anmälan');
    expect(linksIn({ text: other.text })).toEqual([]);
  });
});

// Last in this file: it moves the clock a year ahead.
describe('after the retention period', () => {
  it('the daily sweep erases the closed referral: not before twelve months have passed, and within a day after', async () => {
    const id = happyPath!;
    expect(id).toBeDefined();
    const closed = await referral(id);
    const due = await dueErasureOf(system, id);
    const eraseAt = new Date(due!.eraseAt);
    expect(due).toEqual({
      referralId: id,
      eraseAt: DateTime.fromISO(closed.updatedAt).plus({ months: 12 }).toUTC().toISO(),
    });

    // Two days before: the sweeps that ran on the way (one catch-up) left it alone.
    await advanceToAndSweep(system, new Date(eraseAt.getTime() - 2 * DAY));
    expect(await referral(id)).toMatchObject({ status: 'closed', child: { firstName: 'Sam' } });
    expect(await dueErasureOf(system, id)).toBeDefined();

    // Then 03:00 after 03:00, until it is gone.
    let erasedAt: Date | undefined;
    for (let day = 0; day < 4 && !erasedAt; day++) {
      const occurrence = await nextSweep(system);
      const status = (await referral(id)).status as string;
      if (status === 'erased') erasedAt = occurrence;
      else expect(occurrence.getTime(), 'a sweep after eraseAt left it').toBeLessThan(eraseAt.getTime());
    }
    expect(erasedAt, 'erased by a sweep').toBeDefined();
    expect(erasedAt!.getTime()).toBeGreaterThanOrEqual(eraseAt.getTime());
    expect(erasedAt!.getTime()).toBeLessThan(eraseAt.getTime() + DAY);

    const after = JSON.stringify(await system.deps.store.rawReferralItems(id));
    for (const p of ['"Sam"', 'Siv Socialsekreterare', 'siv@farsta.example', 'fia@example.org'])
      expect(after, p).not.toContain(p);
    expect(await dueErasureOf(system, id)).toBeUndefined();
    expect((await auditActions(system, id)).at(-1)).toBe('personal-data-erased');
    // Through the sweep, not a workflow: the referral's last execution ended at Close long ago.
    const executions = system.engine.history.filter((e) => e.referralId === id);
    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(executions.at(-1)!.states.at(-1)).toBe('Close');
  });
});
