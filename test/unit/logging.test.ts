/**
 * The Powertools wiring behind the `log` and `metrics` ports: JSON lines, the invocation's keys appended
 * and gone after it, personal data masked, and one EMF line per invocation that counted something.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { countedEmails } from '../../functions/adapters/counted-email';
import { createLogger, mask } from '../../functions/adapters/logger';
import { EmfMetrics, METRIC_SERVICE } from '../../functions/adapters/metrics';
import type { Referral } from '../../functions/domain/referral';
import { recordFailure } from '../../functions/phases/closure/closure';
import type { Dependencies } from '../../functions/ports';
import { provideDependencies } from '../../functions/shared/dependencies';
import { httpHandler } from '../../functions/shared/http-handler';
import { METRICS, METRIC_NAMESPACE } from '../../functions/shared/metric-names';
import { taskHandler } from '../../functions/shared/task-handler';
import { MemoryReferralStore } from '../fakes/memory-store';

const lines: string[] = [];
const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const logLines = () => parsed().filter((l) => !('_aws' in l));
const emfLines = () => parsed().filter((l) => '_aws' in l);

function wire(): Dependencies {
  lines.length = 0;
  const sink = (line: string) => void lines.push(line);
  const deps = {
    log: createLogger({ service: 'test' }, sink),
    metrics: new EmfMetrics({ sink }),
  } as unknown as Dependencies;
  provideDependencies(deps);
  return deps;
}

afterEach(() => provideDependencies(undefined));

const context = (requestId: string) =>
  ({ functionName: 'ScreeningFn', awsRequestId: requestId }) as unknown as Context;

const EXECUTION = 'arn:aws:states:eu-north-1:111111111111:execution:referral:R-ABCD-EFGH';

describe('the log port (Powertools Logger)', () => {
  it('writes one JSON line per event with level, message, service and timestamp', () => {
    wire();
    const log = createLogger({ service: 'test' }, (l) => void lines.push(l));
    log.info('referral accepted', { referralId: 'R-ABCD-EFGH', count: 2, skipped: undefined });
    const [line] = parsed();
    expect(line).toMatchObject({
      level: 'INFO',
      message: 'referral accepted',
      service: 'test',
      referralId: 'R-ABCD-EFGH',
      count: 2,
    });
    expect(line).not.toHaveProperty('skipped');
    expect(Date.parse(String(line!.timestamp))).not.toBeNaN();
  });

  it('masks identity numbers in every format and email addresses, in the message and in fields', () => {
    wire();
    const log = createLogger({ service: 'test' }, (l) => void lines.push(l));
    for (const id of ['20150312-1234', '150312-1234', '201503121234', '1503121234', '150312+1234'])
      log.error(`lookup of ${id} failed`, { who: id, to: 'vera@example.org' });
    const text = lines.join('\n');
    expect(text).not.toMatch(/1503121234|150312-1234|150312\+1234|vera@example\.org/);
    for (const line of parsed()) {
      expect(line.message).toBe('lookup of [personnummer] failed');
      expect(line).toMatchObject({ who: '[personnummer]', to: '[e-post]' });
    }
    expect(mask('R-ABCD-EFGH at 2026-11-30T22:00:00.000Z')).toBe('R-ABCD-EFGH at 2026-11-30T22:00:00.000Z');
  });
});

describe('a workflow task (taskHandler)', () => {
  const task = () =>
    taskHandler(
      z.object({ referralId: z.optional(z.string()), groupId: z.optional(z.string()) }),
      async (input, deps) => {
        deps.log.info('working', { seen: input.referralId ?? input.groupId });
        deps.metrics.count(METRICS.stepsEntered);
        return 'waiting';
      },
      {},
    );

  it('logs start and end with the referral, execution, step and request id as keys', async () => {
    wire();
    await task()(
      { referralId: 'R-ABCD-EFGH', executionId: EXECUTION, step: 'screening', taskToken: 'secret-token' },
      context('req-1'),
    );
    const logged = logLines();
    expect(logged.map((l) => l.message)).toEqual(['task started', 'working', 'task finished']);
    for (const line of logged)
      expect(line).toMatchObject({
        referralId: 'R-ABCD-EFGH',
        executionId: EXECUTION,
        step: 'screening',
        function_name: 'ScreeningFn',
        function_request_id: 'req-1',
      });
    expect(logged[2]).toMatchObject({ outcome: 'waiting' });
    // The task token is a capability: it is never a key.
    expect(lines.join('\n')).not.toContain('secret-token');
  });

  it('clears the keys between invocations, also when two run at once in one process', async () => {
    wire();
    const handler = task();
    await handler({ referralId: 'R-ABCD-EFGH', executionId: EXECUTION, step: 'screening' }, context('req-1'));
    lines.length = 0;
    await handler({ groupId: 'g-10-12-abc123' }, context('req-2'));
    for (const line of logLines()) {
      expect(line).toMatchObject({ groupId: 'g-10-12-abc123', function_request_id: 'req-2' });
      expect(line).not.toHaveProperty('referralId');
      expect(line).not.toHaveProperty('executionId');
      expect(line).not.toHaveProperty('step');
    }
    lines.length = 0;
    await Promise.all([
      handler({ referralId: 'R-AAAA-AAAA' }, context('req-a')),
      handler({ referralId: 'R-BBBB-BBBB' }, context('req-b')),
    ]);
    const working = logLines().filter((l) => l.message === 'working');
    expect(working).toHaveLength(2);
    for (const line of working) expect(line.referralId).toBe(line.seen);
  });

  it('logs a failed task with its error name, and still flushes its metrics', async () => {
    wire();
    const failing = taskHandler(
      z.object({ referralId: z.string() }),
      async (_input, deps) => {
        deps.metrics.count(METRICS.needsAttention);
        throw Object.assign(new Error('boom for vera@example.org'), { name: 'Referral.NotFound' });
      },
      {},
    );
    await expect(failing({ referralId: 'R-ABCD-EFGH' }, context('req-3'))).rejects.toThrow('boom');
    expect(logLines().at(-1)).toMatchObject({
      level: 'ERROR',
      message: 'task failed',
      error: 'Referral.NotFound',
      referralId: 'R-ABCD-EFGH',
    });
    expect(emfLines()).toHaveLength(1);
    expect(emfLines()[0]).toMatchObject({ NeedsAttention: 1 });
  });
});

describe('the metrics port (Powertools Metrics, EMF)', () => {
  it('writes one EMF line per invocation that counted, in the BrisReferrals namespace, without ids', async () => {
    wire();
    const handler = taskHandler(
      z.object({ referralId: z.string() }),
      async (_input, deps) => {
        deps.metrics.count(METRICS.stepsEntered);
        deps.metrics.count(METRICS.emailsSent, 2);
        return 'ok';
      },
      {},
    );
    await handler({ referralId: 'R-ABCD-EFGH', executionId: EXECUTION }, context('req-1'));
    const [emf] = emfLines();
    expect(emfLines()).toHaveLength(1);
    const aws = emf!._aws as {
      CloudWatchMetrics: {
        Namespace: string;
        Dimensions: string[][];
        Metrics: { Name: string; Unit: string }[];
      }[];
    };
    expect(aws.CloudWatchMetrics[0]!.Namespace).toBe(METRIC_NAMESPACE);
    expect(aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
    expect(aws.CloudWatchMetrics[0]!.Metrics.map((m) => [m.Name, m.Unit]).sort()).toEqual([
      ['EmailsSent', 'Count'],
      ['StepsEntered', 'Count'],
    ]);
    expect(emf).toMatchObject({ service: METRIC_SERVICE, StepsEntered: 1, EmailsSent: 2 });
    expect(JSON.stringify(emf)).not.toContain('R-ABCD-EFGH');

    lines.length = 0;
    const quiet = taskHandler(z.object({ referralId: z.string() }), async () => 'ok', {});
    await quiet({ referralId: 'R-ABCD-EFGH' }, context('req-2'));
    expect(emfLines()).toHaveLength(0);
  });
});

describe('an HTTP request (httpHandler)', () => {
  const event = (routeKey: string, id: string) =>
    ({
      routeKey,
      pathParameters: { id },
      headers: {},
      requestContext: { http: { method: 'GET' }, requestId: 'api-1' },
    }) as unknown as APIGatewayProxyEventV2;
  const route = async (_e: APIGatewayProxyEventV2, deps: Dependencies) => {
    deps.log.info('route ran');
    return { statusCode: 200, body: '' };
  };

  it("carries a staff page's referral as a key, and never a link's token", async () => {
    wire();
    const handler = httpHandler({ 'GET /staff/referrals/{id}': route, 'GET /l/{id}': route }, {});
    await handler(event('GET /staff/referrals/{id}', 'R-ABCD-EFGH'), context('req-1'));
    await handler(event('GET /l/{id}', 'R-ABCD-EFGH'), context('req-2'));
    const [staff, link] = logLines();
    expect(staff).toMatchObject({ route: 'GET /staff/referrals/{id}', referralId: 'R-ABCD-EFGH' });
    expect(link).toMatchObject({ route: 'GET /l/{id}' });
    expect(link).not.toHaveProperty('referralId');
  });
});

describe('the use cases count their metrics', () => {
  const referral = {
    referralId: 'R-FAIL-0001',
    partnershipId: 'stockholm-bris',
    district: 'Farsta',
    createdAt: '2027-03-01T08:00:00.000Z',
    updatedAt: '2027-03-01T08:00:00.000Z',
    phase: 'screening',
    status: 'active',
    child: {
      firstName: 'Fanny',
      birthDate: '2016-03-12',
      ageAtReferral: 10,
      ageBand: '10-12',
      protectedIdentity: false,
    },
    identityHash: 'c'.repeat(64),
    socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
    custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
    carer: { name: 'Fia', email: 'fia@example.org' },
    childWish: { confirmedBy: 'Siv Socialsekreterare', at: '2027-03-01T08:00:00.000Z' },
    consentBasisRequested: 'custodians',
    custodianMaySeeSchedule: false,
  } as Referral;

  it('a referral recorded as needing attention counts NeedsAttention', async () => {
    const store = new MemoryReferralStore();
    await store.createReferral(referral);
    const metrics = new EmfMetrics();
    const deps = {
      store,
      clock: { now: () => new Date('2027-03-02T08:00:00Z') },
      log: createLogger({ service: 'test' }, () => {}),
      metrics,
    } as unknown as Dependencies;
    await recordFailure({ referralId: referral.referralId, error: 'States.TaskFailed' }, deps);
    expect(metrics.totals.get(METRICS.needsAttention)).toBe(1);
    // A group's: test/unit/group-retry.test.ts.
  });

  it('every email sent through the port counts EmailsSent; one the transport refused does not', async () => {
    const metrics = new EmfMetrics();
    let refuse = false;
    const email = countedEmails(
      {
        send: async () => {
          if (refuse) throw new Error('MessageRejected');
        },
      },
      metrics,
    );
    const message = {
      to: 'a@b.example',
      subject: 's',
      text: 't',
      html: 'h',
      template: 'x',
      language: 'sv' as const,
    };
    await email.send(message);
    await email.send(message);
    refuse = true;
    await expect(email.send(message)).rejects.toThrow('MessageRejected');
    expect(metrics.totals.get(METRICS.emailsSent)).toBe(2);
  });
});
