/**
 * Issue 18: the public POST routes (form, links, sign-in) each have their own throttle in the HTTP API's
 * stage, below the stage's own, so a flood on one cannot take the whole API; their 429s are counted
 * (ClientLimited, from the access log) and alarmed on. Asserted on the synthesized template.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLIENT_LIMITED_PER_HOUR } from '../../infra/constructs/operations-alarms';
import { FUNCTIONS } from '../../infra/functions-catalog';
import { PUBLIC_POST_LIMITS } from '../../infra/public-post-limits';
import { API_THROTTLE } from '../../infra/stacks/stateless-stack';
import { METRIC_NAMESPACE } from '../../functions/shared/metric-names';
import { resourcesOf, synth, type Synthesized } from './synth';

let s: Synthesized;
beforeAll(() => {
  s = synth();
}, 120_000);
afterAll(() => s?.cleanup());

const ROUTE_KEYS = ['POST /referrals', 'POST /links/{id}', 'POST /links/{id}/renew', 'POST /staff/sign-in'];

it('declares a limit for every public POST that sends mail or stores a referral, each a real route', () => {
  expect(PUBLIC_POST_LIMITS.map((l) => l.routeKey).sort()).toEqual([...ROUTE_KEYS].sort());
  const catalog = Object.values(FUNCTIONS).flatMap((f) => (f as { routes?: string[] }).routes ?? []);
  for (const key of ROUTE_KEYS) expect(catalog).toContain(key);
});

it('throttles each public POST route in the stage, below the stage’s own throttle', () => {
  const stages = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Stage'));
  expect(stages).toHaveLength(1);
  const [stageId, stage] = stages[0]!;
  const settings = stage.Properties?.RouteSettings as Record<
    string,
    { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
  >;
  expect(Object.keys(settings).sort()).toEqual([...ROUTE_KEYS].sort());
  for (const limit of PUBLIC_POST_LIMITS) {
    expect(settings[limit.routeKey]).toEqual({
      ThrottlingRateLimit: limit.route.rateLimit,
      ThrottlingBurstLimit: limit.route.burstLimit,
    });
    expect(limit.route.rateLimit).toBeLessThan(API_THROTTLE.rateLimit);
    expect(limit.route.burstLimit).toBeLessThan(API_THROTTLE.burstLimit);
  }
  // The routes exist before the stage names them.
  const routes = resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Route');
  const dependsOn = [
    (s.statelessTemplate.toJSON().Resources[stageId] as { DependsOn?: string[] }).DependsOn ?? [],
  ].flat();
  for (const key of ROUTE_KEYS) {
    const route = Object.entries(routes).find(([, r]) => r.Properties?.RouteKey === key);
    expect(route, key).toBeDefined();
    expect(dependsOn, key).toContain(route![0]);
  }
});

it('counts the public POSTs refused with 429 and alarms when they are many in an hour', () => {
  const filters = Object.values(resourcesOf(s.statelessTemplate, 'AWS::Logs::MetricFilter')).filter(
    (f) =>
      (f.Properties?.MetricTransformations as { MetricName: string }[])[0]?.MetricName === 'ClientLimited',
  );
  expect(filters).toHaveLength(1);
  const pattern = String(filters[0]!.Properties?.FilterPattern);
  expect(pattern).toContain('$.status = "429"');
  for (const key of ROUTE_KEYS) expect(pattern).toContain(`$.routeKey = "${key}"`);
  const alarm = Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudWatch::Alarm'))
    .map((r) => r.Properties as Record<string, unknown>)
    .find((a) => a.MetricName === 'ClientLimited');
  expect(alarm).toMatchObject({
    Namespace: METRIC_NAMESPACE,
    Threshold: CLIENT_LIMITED_PER_HOUR,
    Period: 3600,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  });
});
