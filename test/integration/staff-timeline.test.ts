/**
 * A real referral from form to closed, then its staff page: the timeline is in words, with no audit code
 * as visible text, whatever the events' details held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../functions/domain/audit-actions';
import { OUTCOMES, PHASES } from '../../functions/domain/referral';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  childId,
  closedAndRetained,
  completeFollowUp,
  confirmGroup,
  onlyLink,
  poolEmail,
  postForm,
  runGroup,
  submitReferral,
} from '../support/local';

let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

async function signIn(email: string): Promise<string> {
  const mark = system.mailbox.list().at(-1)?.id ?? 0;
  await postForm(`${system.url}/staff/sign-in`, { email });
  const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in' && m.to.includes(email), {
    afterId: mark,
  });
  const link = /https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  const res = await fetch(`${system.url}${new URL(link).pathname}`, { method: 'POST', redirect: 'manual' });
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

const visibleText = (page: string) =>
  page
    .replace(/<(style|script)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
const asWord = (code: string) => new RegExp(`(?<![\\w-])${code}(?![\\w-])`);

describe('the staff timeline of a whole lifecycle', () => {
  it('shows every event in words and no code', async () => {
    const custodian = 'custodian-timeline@example.org';
    const id = await submitReferral(system, {
      identityNumber: childId(11, system.clock.now()),
      custodian1Email: custodian,
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    await postForm(onlyLink(screening), { action: 'approve' });
    const consent = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes(custodian),
    );
    await postForm(onlyLink(consent), { action: 'consent' });
    const confirmed = await confirmGroup(system, onlyLink(await poolEmail(system, id)), [id], {
      format: 'weekend',
    });
    await runGroup(system, confirmed.groupId, { 2: [id] });
    await completeFollowUp(system, id, 'fia@example.org');
    await closedAndRetained(system, id);

    const events = await system.deps.store.listAudit(id);
    expect(new Set(events.map((e) => e.action)).size).toBeGreaterThan(12);

    const cookie = await signIn('samordnare@bris.example');
    const page = await fetch(`${system.url}/staff/referrals/${id}`, { headers: { cookie } }).then((r) =>
      r.text(),
    );
    const text = visibleText(page);
    for (const code of [...AUDIT_ACTIONS, ...PHASES, ...OUTCOMES, 'social-worker', 'group-leader', 'weekend'])
      expect(text, code).not.toMatch(asWord(code));
    const items = page.match(/<li>/g) ?? [];
    expect(items.length).toBe(events.length);
    expect(text).toContain('Avslutad, genomförd');
    expect(text).toContain('Plats i grupp bekräftad: stödhelg (Väntar på grupp)');
    expect(text).toContain('Närvaro registrerad: träff 2, frånvarande (I grupp)');
    expect(text).toContain('Ärendet avslutat: genomförd (Avslutad) – systemet');
  });
});
