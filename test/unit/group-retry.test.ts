/**
 * A failed group as use cases on the in-memory store: where its retry starts (the resume choice), what
 * RecordGroupFailure records and whom it tells (once), the coordinator's retry and its refusals, and the
 * local runtime's boot, which restarts a group that was running but leaves a failed one failed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { partnershipSchema, type Group } from '../../functions/domain/partnership';
import { groupResumeOf, recordGroupFailure } from '../../functions/phases/groups/group-retry';
import { scheduleGroup } from '../../functions/phases/groups/groups';
import { ForbiddenError, retryGroup } from '../../functions/phases/staff/staff';
import { overviewPage } from '../../functions/phases/staff/pages';
import type { Dependencies, EmailMessage, GroupResume, StaffSession } from '../../functions/ports';
import { groupFailureTask } from '../../functions/shared/task-schemas';
import { resumeUnfinished } from '../../infra/local/resume';
import type { LocalWorkflowEngine } from '../../infra/local/workflow-engine';
import { MemoryReferralStore } from '../fakes/memory-store';
import { EmfMetrics } from '../../functions/adapters/metrics';
import { METRICS } from '../../functions/shared/metric-names';

const DAY = 86_400_000;
const START = Date.parse('2027-03-02T18:00:00Z');
const GROUP_ID = 'g-7-9-a1b2c3';
const P = 'stockholm-bris';
const partnershipFile = JSON.parse(
  readFileSync(new URL('../../partnerships/stockholm-bris.json', import.meta.url), 'utf8'),
);

const group: Group = {
  partnershipId: P,
  groupId: GROUP_ID,
  name: 'Stödhelg 7-9 år, start 2027-03-06',
  format: 'weekend',
  ageBand: '7-9',
  status: 'running',
  capacity: 8,
  memberCount: 0,
  confirmedAt: new Date(START).toISOString(),
  meetings: [1, 2, 3, 4].map((index) => ({
    index,
    kind: 'weekend-day' as const,
    startsAt: new Date(START + index * 7 * DAY).toISOString(),
    endsAt: new Date(START + index * 7 * DAY + 6 * 3_600_000).toISOString(),
  })),
};

const coordinator: StaffSession = {
  email: 'samordnare@bris.example',
  name: 'Samordnare Bris',
  role: 'coordinator',
  expiresAt: '2099-01-01T00:00:00Z',
};

async function setUp() {
  const store = new MemoryReferralStore();
  await store.putPartnership(partnershipSchema.parse(partnershipFile));
  await store.putGroup(group);
  const sent: EmailMessage[] = [];
  const resumed: { groupId: string; resume: GroupResume; attempt: number }[] = [];
  const metrics = new EmfMetrics();
  const clock = { now: () => new Date(START + 10 * DAY) };
  const deps = {
    config: { publicBaseUrl: 'https://stodgrupper.example', linkTtlDays: 14, partnershipId: P },
    store,
    email: { send: async (m: EmailMessage) => void sent.push(m) },
    workflow: {
      resumeGroup: async (groupId: string, resume: GroupResume, attempt: number) =>
        void resumed.push({ groupId, resume, attempt }),
    },
    clock,
    wallClock: clock,
    log: { info() {}, warn() {}, error() {} },
    metrics,
  } as unknown as Dependencies;
  return { deps, store, sent, resumed, metrics };
}

describe('where a failed group starts again (the resume choice)', () => {
  it('at the failed meeting, at the completion, or at the schedule', () => {
    expect(groupResumeOf({ step: 'meetings', meeting: 3 })).toEqual({ resumeAt: 'meetings', fromMeeting: 3 });
    expect(groupResumeOf({ step: 'meetings' })).toEqual({ resumeAt: 'meetings', fromMeeting: 1 });
    expect(groupResumeOf({ step: 'complete' })).toEqual({ resumeAt: 'complete' });
    expect(groupResumeOf({ step: 'schedule' })).toEqual({ resumeAt: 'schedule' });
  });

  it("the resumed schedule holds the meetings from the failed one, and the failure's Cause only a meeting index", async () => {
    const { deps } = await setUp();
    const from3 = await scheduleGroup({ groupId: GROUP_ID, fromMeeting: 3 }, deps);
    expect(from3.meetings.map((m) => m.index)).toEqual([3, 4]);
    expect((await scheduleGroup({ groupId: GROUP_ID }, deps)).meetings).toHaveLength(4);
    const parse = (cause?: string) =>
      groupFailureTask().parse({ groupId: GROUP_ID, step: 'meetings', error: 'Error', cause }).cause;
    expect(parse('3')).toBe(3);
    expect(parse('{"errorMessage":"mailbox rejected","errorType":"Error"}')).toBeUndefined();
    expect(parse(undefined)).toBeUndefined();
  });
});

describe('RecordGroupFailure and the retry', () => {
  it('records the meeting, tells the coordinator once, and the retry starts <groupId>-retry-1 there', async () => {
    const { deps, store, sent, resumed, metrics } = await setUp();
    const failed = { groupId: GROUP_ID, step: 'meetings' as const, error: 'Error', cause: 2 };
    await recordGroupFailure(failed, deps);
    await recordGroupFailure(failed, deps); // Step Functions retried the task
    expect(metrics.totals.get(METRICS.needsAttention)).toBe(1);
    expect((await store.getGroup(P, GROUP_ID))?.failure).toMatchObject({ step: 'meetings', meeting: 2 });
    expect(sent.map((m) => [m.template, m.to])).toEqual([
      ['group-needs-attention', 'samordnare@bris.example'],
    ]);
    expect(sent[0]!.text).toContain('stannade vid träff 2');

    expect(await retryGroup(coordinator, GROUP_ID, deps)).toBe('retried');
    expect(resumed).toEqual([
      { groupId: GROUP_ID, resume: { resumeAt: 'meetings', fromMeeting: 2 }, attempt: 1 },
    ]);
    // Retried: nothing more to do, and no second execution.
    expect(await retryGroup(coordinator, GROUP_ID, deps)).toBe('not-needed');
    expect(resumed).toHaveLength(1);

    // A second failure after the retry is news again, and its retry is the second.
    await recordGroupFailure({ ...failed, step: 'complete', cause: undefined }, deps);
    expect(sent.filter((m) => m.template === 'group-needs-attention')).toHaveLength(2);
    expect(await retryGroup(coordinator, GROUP_ID, deps)).toBe('retried');
    expect(resumed.at(-1)).toEqual({ groupId: GROUP_ID, resume: { resumeAt: 'complete' }, attempt: 2 });
  });

  it('is refused for a group that did not fail, an unknown group, and anyone but a coordinator', async () => {
    const { deps, resumed } = await setUp();
    expect(await retryGroup(coordinator, GROUP_ID, deps)).toBe('not-needed');
    expect(await retryGroup(coordinator, 'g-1-2-ffffff', deps)).toBe('not-possible');
    const socialWorker: StaffSession = { ...coordinator, role: 'social-worker', district: 'Bromma' };
    await expect(retryGroup(socialWorker, GROUP_ID, deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect(resumed).toEqual([]);
  });
});

describe("the overview in the reader's language", () => {
  it('says where the group stopped and offers the retry, in Swedish and in English', async () => {
    const { deps, store } = await setUp();
    await recordGroupFailure({ groupId: GROUP_ID, step: 'meetings', error: 'Error', cause: 2 }, deps);
    const failed = [(await store.getGroup(P, GROUP_ID))!];
    const sv = overviewPage(coordinator, [], [], {}, { failed });
    expect(sv).toContain('Grupper som behöver åtgärd');
    expect(sv).toContain(`Gruppen ${group.name} stannade vid träff 2 på grund av ett tekniskt fel`);
    expect(sv).toMatch(/<form method="post" action="\/staff\/groups\/g-7-9-a1b2c3\/retry">/);
    const en = overviewPage({ ...coordinator, language: 'en' }, [], [], {}, { failed });
    expect(en).toContain('Groups that need attention');
    expect(en).toContain(`The group ${group.name} stopped at meeting 2 because of a technical error`);
    expect(en).toContain('>Try again</button>');
    // Nothing to show without a failed group.
    expect(overviewPage(coordinator, [], [], {})).not.toContain('Grupper som behöver åtgärd');
  });
});

describe('the local runtime on boot', () => {
  it('starts a group that was running again, and leaves a failed one failed until it is retried', async () => {
    const { deps, store } = await setUp();
    await store.putGroup({ ...group, groupId: 'g-7-9-b2c3d4', name: 'Failed' });
    await recordGroupFailure({ groupId: 'g-7-9-b2c3d4', step: 'meetings', error: 'Error', cause: 1 }, deps);
    const started: string[] = [];
    const engine = {
      startGroup: async (id: string) => void started.push(id),
    } as unknown as LocalWorkflowEngine;
    expect(await resumeUnfinished(deps, engine)).toEqual({ referrals: 0, groups: 1 });
    expect(started).toEqual([GROUP_ID]);
    // Once retried (its retry's execution was running when the process died), it is started again.
    await retryGroup(coordinator, 'g-7-9-b2c3d4', {
      ...deps,
      workflow: { resumeGroup: async () => {} },
    } as unknown as Dependencies);
    started.length = 0;
    await resumeUnfinished(deps, engine);
    expect(started.sort()).toEqual([GROUP_ID, 'g-7-9-b2c3d4']);
  });
});
