/**
 * Dependencies for fast use-case tests: the in-memory store (which passes the DynamoDB store's contract)
 * with the Stockholm partnership, a clock the test moves, and an email port and workflow that record what
 * they were given.
 */
import { readFileSync } from 'node:fs';
import { KeyedLinkTokens } from '../../functions/adapters/link-tokens';
import { partnershipSchema } from '../../functions/domain/partnership';
import type { Referral } from '../../functions/domain/referral';
import type { Dependencies, EmailMessage, Metrics, WorkflowEngine } from '../../functions/ports';
import { MemoryReferralStore } from '../fakes/memory-store';

export const STOCKHOLM_PARTNERSHIP = partnershipSchema.parse(
  JSON.parse(readFileSync(new URL('../../partnerships/stockholm-bris.json', import.meta.url), 'utf8')),
);

export async function memoryDependencies(options: {
  /** The clock's instant (epoch ms) until the test moves it with `setNow`. */
  start: number;
  referrals?: Referral[];
  /** Replaces the recording workflow (callbacks as `success <token>` / `failure <token> <error>`). */
  workflow?: Partial<WorkflowEngine>;
  metrics?: Metrics;
}) {
  const store = new MemoryReferralStore();
  await store.putPartnership(STOCKHOLM_PARTNERSHIP);
  for (const r of options.referrals ?? []) await store.createReferral(r);
  let now = options.start;
  const sent: EmailMessage[] = [];
  const callbacks: string[] = [];
  const clock = { now: () => new Date(now) };
  const deps = {
    config: {
      publicBaseUrl: 'https://stodgrupper.example',
      linkTtlDays: 14,
      partnershipId: 'stockholm-bris',
    },
    store,
    email: { send: async (m: EmailMessage) => void sent.push(m) },
    workflow: options.workflow ?? {
      sendTaskSuccess: async (t: string) => void callbacks.push(`success ${t}`),
      sendTaskFailure: async (t: string, e: string) => void callbacks.push(`failure ${t} ${e}`),
    },
    clock,
    wallClock: clock,
    identity: { hash: async (s: string) => s },
    linkTokens: new KeyedLinkTokens(async () => 'test-secret'),
    log: { info() {}, warn() {}, error() {} },
    metrics: options.metrics ?? { count() {}, flush() {} },
  } as unknown as Dependencies;
  return { deps, store, sent, callbacks, setNow: (ms: number) => (now = ms) };
}
