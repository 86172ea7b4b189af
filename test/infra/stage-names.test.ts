/**
 * Two stages in one account and region: every physical name (stacks, state machines, API, SES
 * configuration set) carries the stage, so two stages synthesize with no name in common.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { resourcesOf, synth, type Synthesized } from './synth';

/**
 * Names scoped to a parent resource, not to the account: an inline policy's name, the API's `$default`
 * stage; and an alarm's MetricName, which names the metric it reads (AWS's own, e.g. `Errors`), not the alarm.
 */
const SCOPED = new Set([
  'AWS::IAM::Policy.PolicyName',
  'AWS::ApiGatewayV2::Stage.StageName',
  'AWS::CloudWatch::Alarm.MetricName',
]);

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v && 'Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(sep);
  }
  return `<${JSON.stringify(v)}>`;
}

const isReference = (v: unknown) => typeof v === 'object' && v !== null && ('Ref' in v || 'Fn::GetAtt' in v);

/** The stack names and every `…Name` property of every resource (the physical names CloudFormation sets). */
function physicalNames(s: Synthesized): string[] {
  const names = [s.stateful.stackName, s.stateless.stackName];
  for (const template of [s.statefulTemplate, s.statelessTemplate])
    for (const resource of Object.values(resourcesOf(template)))
      for (const [key, value] of Object.entries(resource.Properties ?? {}))
        // A Ref or GetAtt is a reference to another resource, not a name this resource is given.
        if (/Name$/.test(key) && !SCOPED.has(`${resource.Type}.${key}`) && !isReference(value))
          names.push(flatten(value));
  return names;
}

const synthesized: Synthesized[] = [];
afterAll(() => synthesized.forEach((s) => s.cleanup()));

describe('stages', () => {
  it('two stages synthesize with no physical name in common, each name carrying its stage', () => {
    const [dev, prod] = ['dev', 'prod-2'].map((stage) => {
      const s = synth({ stage });
      synthesized.push(s);
      return physicalNames(s);
    });
    expect(dev!.length).toBeGreaterThanOrEqual(5);
    expect(dev!.filter((n) => prod!.includes(n))).toEqual([]);
    for (const name of dev!) expect(name).toContain('dev');
    for (const name of prod!) expect(name).toContain('prod-2');
  }, 120_000);

  it('refuses a stage name that cannot be part of a resource name', () => {
    for (const stage of ['Prod', 'a_b', 'x'.repeat(21), 'dev stage'])
      expect(() => buildApp({ bundling: false, context: { stage } }), stage).toThrow(/stage/);
  });
});
