/**
 * Entering a human step reads its step record once: the outbox (kernel/step-outbox.ts) is handed what the
 * entry read instead of reading it again — and an entry whose email failed still sends its one link again.
 */
import { describe, expect, it } from 'vitest';
import { enterHumanStep } from '../../functions/kernel/enter-step';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import type { EmailMessage } from '../../functions/ports';
import { memoryDependencies } from '../support/memory-deps';
import { sampleReferral } from '../support/sample-referral';

const START = Date.parse('2027-03-01T08:00:00Z');
const screening = HUMAN_STEP_MODULES.screening;
const consent = HUMAN_STEP_MODULES.consent;
const referral = sampleReferral(START, { referralId: 'R-READS-0001' });
const id = referral.referralId;

/** The store's calls by method name, counted as the use case makes them. */
function countCalls<T extends object>(store: T): { store: T; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(name), (calls.get(String(name)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { store: counted, calls };
}

const linkIn = (m: EmailMessage) => /https:\/\/\S+\/links\/[\w-]+/.exec(m.text)?.[0];

describe('entering a human step', () => {
  it('reads the step record once, with the referral, and mails the step once', async () => {
    const { deps, store, sent } = await memoryDependencies({ start: START, referrals: [referral] });
    const { store: counted, calls } = countCalls(store);
    const outcome = await enterHumanStep(
      screening,
      { referralId: id, taskToken: 'screen-1' },
      {
        ...deps,
        store: counted,
      },
    );
    expect(outcome).toBe('waiting');
    // With the referral, in one request.
    expect(calls.get('getReferralWithStep')).toBe(1);
    expect(calls.get('getStep')).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect((await store.getStep(id, 'screening'))?.emailSentAt).toBeDefined();
  });

  it('an entry whose email failed is sent again with the same link, the record read once per attempt', async () => {
    let failOnce = true;
    const tried: EmailMessage[] = [];
    const { deps, store, sent } = await memoryDependencies({ start: START, referrals: [referral] });
    const send = deps.email.send;
    const failing = {
      ...deps,
      email: {
        send: async (m: EmailMessage) => {
          tried.push(m);
          if (failOnce) {
            failOnce = false;
            throw new Error('mail server down');
          }
          return send(m);
        },
      },
    };
    await expect(
      enterHumanStep(screening, { referralId: id, taskToken: 'screen-1' }, failing),
    ).rejects.toThrow('mail server down');
    const { store: counted, calls } = countCalls(store);
    await enterHumanStep(
      screening,
      { referralId: id, taskToken: 'screen-1' },
      { ...failing, store: counted },
    );
    expect(calls.get('getReferralWithStep')).toBe(1);
    expect(calls.get('getStep')).toBeUndefined();
    expect(calls.get('getLink')).toBe(1);
    expect(sent).toHaveLength(1);
    expect(linkIn(tried[0]!)).toBeDefined();
    expect(linkIn(sent[0]!)).toBe(linkIn(tried[0]!));
  });

  it('reads the referral once before and once after the token is stored, that one with the phase change', async () => {
    const { deps, store, sent } = await memoryDependencies({ start: START, referrals: [referral] });
    const { store: counted, calls } = countCalls(store);
    await enterHumanStep(
      consent,
      { referralId: id, taskToken: 'consent-1', custodian: 1 },
      {
        ...deps,
        store: counted,
      },
    );
    expect(calls.get('getReferralWithStep')).toBe(1);
    expect(calls.get('getReferral')).toBeUndefined();
    expect(calls.get('enterPhase')).toBe(1);
    expect(calls.get('updateReferral')).toBeUndefined();
    expect((await store.getReferral(id))?.phase).toBe('consent');
    // The step's link and the custodian's withdrawal link go with the step record (a new entry): no
    // single link write; the record again, marked sent, with its event.
    expect(calls.get('putLink')).toBeUndefined();
    expect(calls.get('putStep')).toBe(2);
    expect(sent).toHaveLength(1);
    const links = await store.listLinks(id);
    expect(links.map((l) => l.step).sort()).toEqual(['consent', 'withdrawal']);
    expect(links.every((l) => l.status === 'open')).toBe(true);
    expect(sent[0]!.text).toContain(linkIn(sent[0]!)!);
  });

  it('a withdrawal that lands while the link is being stored is seen: the wait fails as withdrawn', async () => {
    const { deps, store, callbacks } = await memoryDependencies({ start: START, referrals: [referral] });
    // The withdrawal lands after the entry's first read, just as the step and its link are written.
    const racing = new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (name !== 'putStep' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await target.markWithdrawn(id, {
            at: new Date(START).toISOString(),
            by: { role: 'custodian', name: 'Anna' },
            reason: 'r',
          });
          return value.apply(target, args);
        };
      },
    });
    const outcome = await enterHumanStep(
      screening,
      { referralId: id, taskToken: 'screen-1' },
      {
        ...deps,
        store: racing,
      },
    );
    expect(outcome).toBe('answered');
    expect(callbacks.some((c) => c.startsWith('failure screen-1'))).toBe(true);
    // The withdrawn referral's phase is left as it was.
    expect((await store.getReferral(id))?.phase).toBe(referral.phase);
  });
});
