/**
 * The follow-up's emails are recorded by their audit event alone (keyed by the notification): a retried task
 * sends nothing again and adds no second event, and no separate sent-marker is written.
 */
import { describe, expect, it } from 'vitest';
import { followUpEvents, sendFollowUp } from '../../functions/phases/follow-up/follow-up';
import { memoryDependencies, STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';
import { sampleReferral } from '../support/sample-referral';

const START = Date.parse('2027-06-01T08:00:00Z');
const referral = sampleReferral(START, { referralId: 'R-FOLLOW-0001', phase: 'sessions' });
const id = referral.referralId;

describe('the follow-up questionnaire', () => {
  it('sent by a task run twice: one email, one event, and the event is the only record', async () => {
    const { deps, store, sent } = await memoryDependencies({ start: START, referrals: [referral] });
    await sendFollowUp({ referralId: id, op: 'start' }, deps);
    await sendFollowUp({ referralId: id, op: 'start' }, deps);
    expect(sent.filter((m) => m.to.includes('fia@example.org'))).toHaveLength(1);
    const events = (await store.listAudit(id)).filter((e) => e.action === 'follow-up-sent');
    expect(events).toEqual([expect.objectContaining({ detail: { round: 'first' } })]);
    const items = await store.rawReferralItems(id);
    expect(items.filter((i) => String(i.SK).startsWith('NOTIFY#'))).toEqual([]);
  });
});

describe("a questionnaire's reminders", () => {
  const linksOf = (text: string) => [...text.matchAll(/https:\/\/\S+\/links\/[\w-]+/g)].map((m) => m[0]);

  it("carry the round's links while they work, writing none; a link that no longer works is replaced", async () => {
    const { deps, store, sent, setNow } = await memoryDependencies({ start: START, referrals: [referral] });
    const { startedAt } = await sendFollowUp({ referralId: id, op: 'start' }, deps);
    const events = followUpEvents(STOCKHOLM_PARTNERSHIP.followUp, Date.parse(startedAt));
    const index = (kind: string, round: string) =>
      events.findIndex((e) => e.kind === kind && (!('round' in e) || e.round === round));
    let putLinks = 0;
    const counted = new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (name !== 'putLink' || typeof value !== 'function') return value;
        return (...args: unknown[]) => (putLinks++, value.apply(target, args));
      },
    });
    const run = async (i: number) => {
      setNow(events[i]!.at);
      await sendFollowUp({ referralId: id, op: 'event', index: i, startedAt }, { ...deps, store: counted });
    };
    const first = linksOf(sent.at(-1)!.text);
    expect(first).toHaveLength(2);
    // The first round's reminder, the child having answered: the same two links (the child's says it was
    // answered), read once, none written.
    const firstChild = (await store.listLinks(id)).find((l) => l.respondent === 'child')!;
    expect(await store.useLink(firstChild.linkHash, new Date(START).toISOString(), 'answer')).toBe('ok');
    await run(index('reminder', 'first'));
    expect(sent).toHaveLength(2);
    expect(linksOf(sent[1]!.text)).toEqual(first);
    expect(putLinks).toBe(0);
    // The later round: its own links; the child's stops working (closed), and the reminder carries a fresh
    // one for the child only.
    await run(index('later', 'later'));
    const later = linksOf(sent.at(-1)!.text);
    expect(later).toHaveLength(2);
    expect(later).not.toContain(first[0]);
    putLinks = 0;
    const childLink = (await store.listLinks(id)).find(
      (l) => l.round === 'later' && l.respondent === 'child',
    )!;
    await store.setLinkStatus(childLink.linkHash, 'closed');
    await run(index('reminder', 'later'));
    const reminded = linksOf(sent.at(-1)!.text);
    expect(reminded[0]).toBe(later[0]);
    expect(reminded[1]).not.toBe(later[1]);
    expect(putLinks).toBe(1);
  });
});

describe("the follow-up's events", () => {
  it("each reads the referral, its answers and its email's marker in one request, never the answers or the marker apart", async () => {
    const { deps, store, setNow, sent } = await memoryDependencies({ start: START, referrals: [referral] });
    const reads: string[] = [];
    const counted = new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (!/^(getReferral|listEvaluations|wasNotified)/.test(String(name)) || typeof value !== 'function')
          return value;
        return (...args: unknown[]) => (reads.push(String(name)), value.apply(target, args));
      },
    });
    const { startedAt } = await sendFollowUp({ referralId: id, op: 'start' }, { ...deps, store: counted });
    expect(reads).toEqual(['getReferralNotified']);
    await store.putEvaluation(id, { round: 'first', respondent: 'child', scores: { q1: 4 }, at: startedAt });
    const events = followUpEvents(STOCKHOLM_PARTNERSHIP.followUp, Date.parse(startedAt));
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['reminder', 'round-ends', 'summary']));
    const runAll = async () => {
      for (const [i, event] of events.entries()) {
        reads.length = 0;
        setNow(event.at);
        await sendFollowUp({ referralId: id, op: 'event', index: i, startedAt }, { ...deps, store: counted });
        expect(reads, event.kind).toEqual(['getReferralWithAnswers']);
      }
    };
    await runAll();
    // Every event run again (a retried task): the markers read with the referral say each email went out.
    const emails = sent.length;
    await runAll();
    expect(sent).toHaveLength(emails);
    // The carer did not answer the first round; the child did: only the carer's is recorded as not answered.
    const notAnswered = (await store.listAudit(id)).filter((e) => e.action === 'questionnaire-not-answered');
    expect(notAnswered.map((e) => `${e.detail?.round} ${e.detail?.respondent}`)).toContain('first carer');
    expect(notAnswered.map((e) => `${e.detail?.round} ${e.detail?.respondent}`)).not.toContain('first child');
  });
});
