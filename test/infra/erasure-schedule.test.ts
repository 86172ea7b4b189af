/**
 * Erasure after the retention period runs outside the referral's execution: an EventBridge Scheduler
 * schedule invokes the erasure sweep daily at 03:00 Stockholm time, with a role that may invoke that one
 * function and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../infra/functions-catalog';
import {
  actionsOf,
  functionLogicalId,
  resourcesOf,
  statementsByRole,
  synth,
  type Resource,
  type Synthesized,
} from './synth';

let s: Synthesized;
let schedule: Resource;
beforeAll(() => {
  s = synth({ stage: 'qa' });
  const schedules = Object.values(resourcesOf(s.statelessTemplate, 'AWS::Scheduler::Schedule'));
  expect(schedules).toHaveLength(1);
  schedule = schedules[0]!;
}, 120_000);
afterAll(() => s?.cleanup());

describe('the daily erasure sweep', () => {
  it('is invoked every day at 03:00 Europe/Stockholm, on time (no flexible window), with retries', () => {
    expect(schedule.Properties).toMatchObject({
      Name: 'bris-erasure-sweep-qa',
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Stockholm',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
    const target = schedule.Properties?.Target as {
      Arn: unknown;
      RetryPolicy?: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
    };
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [functionLogicalId('erasureSweep'), 'Arn'] });
    expect(target.RetryPolicy?.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(target.RetryPolicy?.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(3600);
  });

  it('targets the function whose handler is the sweep, which no workflow state backs', () => {
    const fn = resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')[functionLogicalId('erasureSweep')]!;
    expect(fn.Metadata?.['bris:handler']).toBe('functions/erasure-sweep/handler.ts');
    expect(FUNCTIONS.erasureSweep).not.toHaveProperty('workflow');
    expect(JSON.stringify(s.statelessTemplate.toJSON())).not.toContain('functions/erase/handler.ts');
  });

  it('runs with a role that EventBridge Scheduler of this account assumes, and that may only invoke the sweep', () => {
    const roleId = (schedule.Properties?.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } }).RoleArn[
      'Fn::GetAtt'
    ][0];
    const role = resourcesOf(s.statelessTemplate, 'AWS::IAM::Role')[roleId]!;
    const trust = JSON.stringify(role.Properties?.AssumeRolePolicyDocument);
    expect(trust).toContain('scheduler.amazonaws.com');
    expect(trust).toContain('aws:SourceAccount');
    expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    const statements = statementsByRole(s.statelessTemplate)
      .filter((x) => x.role === roleId)
      .map((x) => x.statement);
    expect(statements.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    const sweepArn = { 'Fn::GetAtt': [functionLogicalId('erasureSweep'), 'Arn'] };
    for (const statement of statements) {
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      for (const r of resources)
        expect(JSON.stringify(r), 'the sweep function or its versions').toContain(JSON.stringify(sweepArn));
    }
  });
});
