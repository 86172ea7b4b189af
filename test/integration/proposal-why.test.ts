/**
 * The coordinator sees why, over HTTP on the local system: six consented children of one band make a
 * proposal; her page shows who waits and how long, the proposed group and what one more week would
 * change; she overrules it by waiting, and the answer with the figures she saw is on each child's staff
 * timeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  childId,
  consentedChild,
  get,
  onlyLink,
  poolEmail,
  postForm,
  staffSessionCookie,
} from '../support/local';
import { visibleText } from '../support/page-text';

const DAY = 86_400_000;
let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

async function signIn(email: string): Promise<string> {
  return staffSessionCookie(system, email);
}

describe('the coordinator sees why', () => {
  it('shows the waiting children, the proposal and one more week; her choice to wait is on the timelines', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        await consentedChild(system, 700 + i, {
          identityNumber: childId(11, system.clock.now(), { minDaysToBirthday: 60 }),
          district: 'Farsta',
        }),
      );
    // Six in one band: the planner proposes a weekly group of six at once.
    const proposal = await system.mailbox.waitFor(
      (m) => m.template === 'group-proposal' && m.subject.includes('veckogrupp 10-12'),
    );
    // Three days on: the waits have grown, and a week more adds seven days to the longest.
    system.clock.advance(3 * DAY);
    const link = onlyLink(await poolEmail(system, ids[5]!, { afterId: proposal.id - 1 }));
    const page = await get(link);
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    for (const id of ids) expect(text).toContain(id);
    expect(text).toMatch(/3 dagar, sedan \d{4}-\d{2}-\d{2}/);
    expect(text).toContain('Underlag för förslaget');
    expect(text).toContain('Föreslagna grupper, 10-12 år');
    expect(text).toContain('1 Veckogrupp 6 Farsta');
    expect(text).toContain('Om vi väntar en vecka till, 10-12 år');
    expect(text).toContain('Storlek på gruppen för barnet som väntat längst 6');
    expect(text).toContain('Längsta väntan 3 dagar 10 dagar');

    // She overrules: the band waits one more week.
    const answered = await postForm(link, { action: 'postpone' });
    expect(answered.status).toBe(200);
    expect(visibleText(answered.text)).toContain('Förslaget väntar');

    for (const id of ids) {
      const events = await system.deps.store.listAudit(id);
      expect(events.filter((e) => e.action === 'group-proposal-answered')).toEqual([
        expect.objectContaining({
          actor: expect.objectContaining({ role: 'coordinator' }),
          detail: expect.objectContaining({
            choice: 'overruled',
            changes: 'waited',
            proposedFormat: 'weekly',
            proposedSize: '6',
            oldestWaitDays: '3',
            weekOldestWaitDays: '10',
          }),
        }),
      ]);
    }
    const cookie = await signIn('samordnare@bris.example');
    const timeline = visibleText(
      await fetch(`${system.url}/staff/referrals/${ids[0]}`, { headers: { cookie } }).then((r) => r.text()),
    );
    expect(timeline).toContain('Samordnaren besvarade gruppförslaget');
    expect(timeline).toContain('förslaget ändrades, väntar en vecka till, föreslaget: veckogrupp, 6 barn');
    expect(timeline).toContain('längsta väntan 3 dagar, 10 om en vecka');
  });
});
