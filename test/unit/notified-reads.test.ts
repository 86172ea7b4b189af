/**
 * A lone sender's task reads whether its emails went out with the referral it starts from, in one request
 * (getReferralNotified), not with a read of each marker before sending (wasNotified): run twice, as the
 * state machine may, each email still goes out once. Reads counted on the in-memory store.
 */
import { describe, expect, it } from 'vitest';
import { custodianConsentBasis } from '../../functions/domain/consent';
import type { Referral } from '../../functions/domain/referral';
import { closeReferral } from '../../functions/phases/closure/closure';
import { evaluateConsent, planConsent } from '../../functions/phases/consent/consent-tasks';
import { acceptIntake } from '../../functions/phases/intake/accept-intake';
import type { Dependencies } from '../../functions/ports';
import { memoryDependencies } from '../support/memory-deps';
import { sampleReferral } from '../support/sample-referral';

const START = Date.parse('2027-04-01T08:00:00Z');
const at = new Date(START).toISOString();

async function counted(referral: Referral) {
  const t = await memoryDependencies({ start: START, referrals: [referral] });
  const reads: string[] = [];
  const deps: Dependencies = {
    ...t.deps,
    store: new Proxy(t.store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        // The referral's and the markers' reads (the partnership's is cached per container).
        if (typeof value !== 'function' || !/^(getReferral|wa[sr]Notified|wereNotified)/.test(String(name)))
          return value;
        return (...args: unknown[]) => {
          reads.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }),
  };
  return { ...t, deps, reads };
}

const cases: { task: string; referral: Referral; run: (deps: Dependencies) => Promise<unknown> }[] = [
  {
    task: 'acceptIntake',
    referral: sampleReferral(START, { referralId: 'R-READ-0001' }),
    run: (deps) => acceptIntake({ referralId: 'R-READ-0001' }, deps),
  },
  {
    task: 'planConsent',
    referral: sampleReferral(START, {
      referralId: 'R-READ-0002',
      phase: 'screening',
      screening: { decision: 'approved', at },
    }),
    run: (deps) => planConsent({ referralId: 'R-READ-0002' }, deps),
  },
  {
    task: 'evaluateConsent',
    referral: sampleReferral(START, {
      referralId: 'R-READ-0003',
      phase: 'consent',
      legalBasis: custodianConsentBasis(at),
    }),
    run: (deps) => evaluateConsent({ referralId: 'R-READ-0003' }, deps),
  },
  {
    task: 'closeReferral (withdrawn: two emails)',
    referral: sampleReferral(START, { referralId: 'R-READ-0004', phase: 'consent' }),
    run: (deps) => closeReferral({ referralId: 'R-READ-0004', outcome: 'withdrawn' }, deps),
  },
];

describe('a task reads its emails’ markers with its referral', () => {
  for (const { task, referral, run } of cases)
    it(`${task}: one read for the referral and its markers; run twice, each email once`, async () => {
      const { deps, reads, sent } = await counted(referral);
      await run(deps);
      expect(reads).toEqual(['getReferralNotified']);
      const first = sent.map((m) => `${m.template} ${m.to}`);
      expect(first.length).toBeGreaterThan(0);
      reads.length = 0;
      await run(deps);
      expect(reads).toEqual(['getReferralNotified']);
      expect(sent.map((m) => `${m.template} ${m.to}`)).toEqual(first);
    });
});
