/**
 * Emails keep their promises, on the local system (the synthesized state machines, dynalite, the SMTP
 * mailbox): the social worker gets exactly the notifications the receipt lists (SOCIAL_WORKER_NOTIFICATIONS),
 * each once, and no other; a custodian allowed the schedule gets it and every meeting reminder in her
 * language (English here); a custodian not allowed gets neither.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZONE } from '../../functions/domain/time-zone';
import { RECEIPT_NOTIFICATION_ID, SOCIAL_WORKER_NOTIFICATIONS } from '../../functions/web/emails/promises';
import type { MailboxMessage } from '../../infra/local/mailbox';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  childId,
  completeFollowUp,
  confirmGroup,
  consentedChild,
  onlyLink,
  poolEmail,
  postForm,
  referenceFrom,
  referralForm,
  runGroup,
} from '../support/local';

let system: LocalSystem;

beforeAll(async () => {
  // Ports in this worktree's range (43000–43999).
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

/** The notification id an email was sent under: its Message-ID is `<referral.notification.n@domain>`. */
function notificationOf(m: MailboxMessage, referralId: string): string {
  const local = (m.messageId ?? '').replace(/^</, '').split('@')[0]!;
  expect(local.startsWith(`${referralId}.`), `${m.template}: ${m.messageId}`).toBe(true);
  return local.slice(referralId.length + 1).replace(/\.\d+$/, '');
}

/** Every email to `to`, first copies only (a repeat after a crash is the same email). */
const mailTo = (to: string) => system.mailbox.list().filter((m) => m.to.includes(to) && !m.repeatOf);

const PROMISED = SOCIAL_WORKER_NOTIFICATIONS.map((n) => n.id);

describe('the social worker is told what the receipt promises, and nothing else', () => {
  it('a whole referral: approved, consent complete, placed (format, start date), summary and closed, each once; the schedule and reminders reach only the custodian allowed them, in English', async () => {
    // Two children of one band in one weekend group: A's custodian (English) may see the schedule, B's may not.
    const child = (serial: number) =>
      childId(11, system.clock.now(), { minDaysToBirthday: 200, serial: 4100 + serial });
    const a = await consentedChild(system, 41, {
      identityNumber: child(1),
      custodian1Language: 'en',
      custodianMaySeeSchedule: 'on',
    });
    const b = await consentedChild(system, 42, { identityNumber: child(2) });
    const [swA, custodianA, carerA] = [
      'sw41@bromma.example',
      'custodian41@example.org',
      'carer41@familjehem.example',
    ];
    const custodianB = 'custodian42@example.org';

    const pool = await poolEmail(system, b);
    const confirmed = await confirmGroup(system, onlyLink(pool), [a, b], { format: 'weekend' });
    expect(confirmed.status).toBe(200);
    const group = (await system.deps.store.getGroup('stockholm-bris', confirmed.groupId))!;

    // Placed: the format and the date of the first meeting in Stockholm, in the social worker's Swedish.
    const placed = await system.mailbox.waitFor((m) => m.template === 'group-placed' && m.to.includes(swA));
    const start = DateTime.fromISO(group.meetings![0]!.startsAt, { zone: ZONE })
      .setLocale('sv-SE')
      .toFormat('cccc d LLLL yyyy');
    expect(placed.language).toBe('sv');
    expect(placed.text).toContain(`Format: stödhelg. Startdatum: ${start}.`);
    expect(placed.text).toContain(a);
    const premises = (await system.deps.store.getPartnership('stockholm-bris'))!.groups.premises;
    expect(placed.text).not.toContain(premises.address); // never where the child will be

    // The English custodian's schedule: English text and calendar titles.
    const schedule = await system.mailbox.waitFor(
      (m) => m.template === 'group-schedule-custodian' && m.to.includes(custodianA),
    );
    expect(schedule.language).toBe('en');
    expect(schedule.subject).toBe('Schedule for the Bris support group: support weekend');
    expect(schedule.text).toContain('You get a reminder two days before each meeting.');
    expect(schedule.attachments.map((x) => x.filename)).toEqual(['bris-support-group.ics']);
    expect(schedule.attachments[0]!.content).toContain('Bris support group\\, meeting 1');

    await runGroup(system, confirmed.groupId);
    // A reminder before every meeting, in English, to the custodian allowed the schedule, as to the family home.
    const reminders = mailTo(custodianA).filter((m) => m.template === 'meeting-reminder-custodian');
    expect(reminders).toHaveLength(group.meetings!.length);
    expect(reminders.every((m) => m.language === 'en' && m.subject.startsWith('Reminder: '))).toBe(true);
    expect(mailTo(carerA).filter((m) => m.template === 'meeting-reminder')).toHaveLength(
      group.meetings!.length,
    );
    // The custodian not allowed the schedule: neither the schedule nor a reminder.
    expect(mailTo(custodianB).map((m) => m.template)).toEqual(['consent-request']);

    await completeFollowUp(system, a, carerA);

    // The social worker's mailbox: the receipt and exactly the promised notifications, each once.
    const toSocialWorker = mailTo(swA);
    const sent = toSocialWorker.map((m) => notificationOf(m, a));
    expect([...sent].sort()).toEqual([RECEIPT_NOTIFICATION_ID, ...PROMISED].sort());
    expect(toSocialWorker.map((m) => m.template)).toEqual([
      'intake-received',
      'screening-approved',
      'consent-complete',
      'group-placed',
      'follow-up-summary',
      'closed-completed',
    ]);
    expect(toSocialWorker.every((m) => m.language === 'sv')).toBe(true);
    const consent = toSocialWorker.find((m) => m.template === 'consent-complete')!;
    expect(consent.text).toContain('samtycke från samtliga vårdnadshavare');
    // The receipt promised each of them, in the words of the list.
    const receipt = toSocialWorker[0]!;
    for (const n of SOCIAL_WORKER_NOTIFICATIONS) expect(receipt.text).toContain(n.promise.sv);
  });

  it('a declined referral: the receipt and the closing email, nothing the list does not name', async () => {
    const sw = 'sw-declined@bromma.example';
    const res = await postForm(
      `${system.url}/referrals`,
      referralForm({
        identityNumber: childId(9, system.clock.now(), { minDaysToBirthday: 30, serial: 4199 }),
        socialWorkerEmail: sw,
        custodian1Email: 'c-declined@example.org',
      }),
    );
    expect(res.status).toBe(201);
    const id = referenceFrom(res.text);
    // The receipt page promises the same list as the receipt email.
    for (const n of SOCIAL_WORKER_NOTIFICATIONS) expect(res.text).toContain(`<li>${n.promise.sv}</li>`);
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    await postForm(onlyLink(screening), { action: 'decline', reason: 'Inte aktuellt nu.' });
    await system.mailbox.waitFor((m) => m.template === 'closed-declined' && m.to.includes(sw));
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.status).toBe('closed');
    const sent = mailTo(sw).map((m) => notificationOf(m, id));
    expect(sent).toEqual([RECEIPT_NOTIFICATION_ID, 'closed']);
    for (const key of sent) expect([RECEIPT_NOTIFICATION_ID, ...PROMISED]).toContain(key);
  });
});
