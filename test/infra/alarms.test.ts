/**
 * Issue 13: an alarm for each failure kind (failed, timed-out and aborted executions of both machines,
 * Lambda errors and throttles, API 5xx and throttling, needs-attention over a day, bounced emails, SES
 * bounce and complaint rate), each with its metric, threshold, comparison and period, all to one
 * KMS-encrypted SNS topic with the alarm email subscribed; a dashboard with the same metrics. Asserted on
 * the synthesized template, alarm by alarm (no snapshot).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { SES_REPUTATION_THRESHOLDS } from '../../infra/constructs/operations-alarms';
import { FUNCTIONS } from '../../infra/functions-catalog';
import { METRIC_NAMESPACE, METRIC_SERVICE } from '../../functions/shared/metric-names';
import { functionLogicalId, resourcesOf, synth, type Resource, type Synthesized } from './synth';

const ALARM_EMAIL = 'drift@bris.se';
let s: Synthesized;
beforeAll(() => {
  s = synth({ alarmEmail: ALARM_EMAIL });
}, 120_000);
afterAll(() => s?.cleanup());

type AlarmProps = {
  AlarmName: string;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Statistic?: string;
  Period?: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  AlarmActions?: unknown[];
  OKActions?: unknown[];
};

const alarms = () =>
  Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudWatch::Alarm')).map(
    (r) => r.Properties as AlarmProps,
  );
const logicalIdOf = (type: string, match: (r: Resource) => boolean) => {
  const ids = Object.entries(resourcesOf(s.statelessTemplate, type))
    .filter(([, r]) => match(r))
    .map(([id]) => id);
  expect(ids, type).toHaveLength(1);
  return ids[0]!;
};
const topicId = () =>
  logicalIdOf('AWS::SNS::Topic', (r) => r.Properties?.TopicName === 'bris-referrals-dev-alarms');
const machineId = (name: string) =>
  logicalIdOf('AWS::StepFunctions::StateMachine', (r) => r.Properties?.StateMachineName === name);

/** The one alarm on `namespace/metricName` whose dimensions are exactly `dimensions`. */
function alarmOn(
  namespace: string,
  metricName: string,
  dimensions: Record<string, unknown> = {},
): AlarmProps {
  const found = alarms().filter(
    (a) =>
      a.Namespace === namespace &&
      a.MetricName === metricName &&
      JSON.stringify(Object.fromEntries((a.Dimensions ?? []).map((d) => [d.Name, d.Value]))) ===
        JSON.stringify(dimensions),
  );
  expect(found, `alarm on ${namespace} ${metricName} ${JSON.stringify(dimensions)}`).toHaveLength(1);
  return found[0]!;
}

/** The condition every "first occurrence" alarm has: Sum ≥ 1 in one five-minute period, to the topic. */
function expectFirstOccurrence(a: AlarmProps, period = 300) {
  expect(a).toMatchObject({
    Statistic: 'Sum',
    Period: period,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
  });
  expectToTopic(a);
}
function expectToTopic(a: AlarmProps) {
  expect(a.AlarmActions, a.AlarmName).toEqual([{ Ref: topicId() }]);
  expect(a.AlarmName).toMatch(/^bris-referrals-dev-/);
}

describe('alarms of the executions', () => {
  it.each([
    ['referral', 'bris-referrals-dev'],
    ['group', 'bris-groups-dev'],
  ])('%s machine: failed, timed out and aborted executions, ≥ 1 in 5 minutes', (_, name) => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])
      expectFirstOccurrence(alarmOn('AWS/States', metric, { StateMachineArn: { Ref: machineId(name) } }));
  });
});

describe('alarms of the functions', () => {
  const catalogIds = () => Object.keys(FUNCTIONS).map(functionLogicalId).sort();

  it.each(['Errors', 'Throttles'])('%s ≥ 1 in 5 minutes, for every function of the catalog', (metric) => {
    expect(catalogIds().length).toBeGreaterThan(10);
    for (const id of catalogIds())
      expectFirstOccurrence(alarmOn('AWS/Lambda', metric, { FunctionName: { Ref: id } }));
    // And only for them (not the deploy-time custom resource provider).
    const covered = alarms()
      .filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metric)
      .map((a) => (a.Dimensions?.[0]?.Value as { Ref: string }).Ref)
      .sort();
    expect(covered).toEqual(catalogIds());
  });
});

describe('alarms of the HTTP API', () => {
  it('5xx ≥ 1 in 5 minutes, on the API and its $default stage', () => {
    const api = logicalIdOf('AWS::ApiGatewayV2::Api', () => true);
    expectFirstOccurrence(alarmOn('AWS/ApiGateway', '5xx', { ApiId: { Ref: api }, Stage: '$default' }));
  });

  it('throttled requests (429 in the access log) ≥ 1 in 5 minutes', () => {
    const filters = Object.values(resourcesOf(s.statelessTemplate, 'AWS::Logs::MetricFilter')).filter(
      (f) =>
        (f.Properties?.MetricTransformations as { MetricName: string }[])[0]?.MetricName === 'ApiThrottled',
    );
    expect(filters).toHaveLength(1);
    expect(filters[0]!.Properties).toMatchObject({
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [
        { MetricNamespace: METRIC_NAMESPACE, MetricName: 'ApiThrottled', MetricValue: '1' },
      ],
    });
    // On the API's access log (the log group its stage writes to).
    const stage = Object.values(resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Stage'))[0]!;
    const destination = (
      stage.Properties?.AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': [string] } }
    ).DestinationArn['Fn::GetAtt'][0];
    expect(filters[0]!.Properties?.LogGroupName).toEqual({ Ref: destination });
    expectFirstOccurrence(alarmOn(METRIC_NAMESPACE, 'ApiThrottled'));
  });
});

describe("alarms of the system's own metrics", () => {
  it('NeedsAttention > 0 over a day: hourly, 1 of 24 datapoints, silence is not breaching', () => {
    const a = alarmOn(METRIC_NAMESPACE, 'NeedsAttention', { service: METRIC_SERVICE });
    expect(a).toMatchObject({
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 24,
      DatapointsToAlarm: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expectToTopic(a);
  });

  it('EmailsBounced ≥ 1 in an hour', () => {
    expectFirstOccurrence(alarmOn(METRIC_NAMESPACE, 'EmailsBounced', { service: METRIC_SERVICE }), 3600);
  });

  it('SendLimited ≥ 10 in an hour (someone flooding inboxes through the sign-in form)', () => {
    const a = alarmOn(METRIC_NAMESPACE, 'SendLimited', { service: METRIC_SERVICE });
    expect(a).toMatchObject({
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expectToTopic(a);
  });
});

describe('alarms of the SES reputation', () => {
  it.each([
    ['Reputation.BounceRate', 0.05],
    ['Reputation.ComplaintRate', 0.001],
  ])('%s ≥ %s (where AWS places the account under review)', (metric, threshold) => {
    expect(Object.values(SES_REPUTATION_THRESHOLDS)).toContain(threshold);
    const a = alarmOn('AWS/SES', metric);
    expect(a).toMatchObject({
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expectToTopic(a);
  });
});

describe('the alarm topic', () => {
  it('every alarm tells the topic when it goes off and when it clears', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const a of alarms()) {
      expectToTopic(a);
      expect(a.OKActions, a.AlarmName).toEqual([{ Ref: topicId() }]);
    }
  });

  it('is encrypted with a key CloudWatch may use for this stage’s alarms only, and refuses plain HTTP', () => {
    const topic = resourcesOf(s.statelessTemplate, 'AWS::SNS::Topic')[topicId()]!;
    const keyId = (topic.Properties?.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const key = resourcesOf(s.statelessTemplate, 'AWS::KMS::Key')[keyId]!;
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    const keyStatements = (key.Properties?.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    const cloudwatch = keyStatements.find(
      (st) => (st.Principal as { Service?: string }).Service === 'cloudwatch.amazonaws.com',
    );
    expect(cloudwatch).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });
    expect(JSON.stringify(cloudwatch?.Condition)).toContain(':alarm:bris-referrals-dev-*');

    const policy = Object.values(resourcesOf(s.statelessTemplate, 'AWS::SNS::TopicPolicy')).find(
      (p) => JSON.stringify(p.Properties?.Topics) === JSON.stringify([{ Ref: topicId() }]),
    );
    const statements = (policy?.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const publish = statements.find((st) => st.Effect === 'Allow');
    expect(publish).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
    });
    expect(JSON.stringify(publish?.Condition)).toContain(':alarm:bris-referrals-dev-*');
  });

  it('has the alarm email subscribed', () => {
    s.statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: ALARM_EMAIL,
      TopicArn: { Ref: topicId() },
    });
  });

  it('a mistyped alarm email stops the synth, naming the setting', () => {
    expect(() => buildApp({ bundling: false, context: { alarmEmail: 'drift-at-bris.se' } })).toThrow(
      /alarmEmail: must be an email address/,
    );
  });
});

describe('the dashboard', () => {
  it('shows the alarms and the metrics they watch', () => {
    const dashboards = Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties?.DashboardName).toBe('bris-referrals-dev');
    const body = JSON.stringify(dashboards[0]!.Properties?.DashboardBody);
    for (const metric of [
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionsAborted',
      'Errors',
      'Throttles',
      '5xx',
      'ApiThrottled',
      'NeedsAttention',
      'EmailsBounced',
      'EmailsSent',
      'Reputation.BounceRate',
      'Reputation.ComplaintRate',
    ])
      expect(body, metric).toContain(`\\"${metric}\\"`);
    // The alarm widget lists every alarm.
    const alarmIds = Object.keys(resourcesOf(s.statelessTemplate, 'AWS::CloudWatch::Alarm'));
    for (const id of alarmIds) expect(body, id).toContain(`"Fn::GetAtt":["${id}","Arn"]`);
  });
});
