import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { CHILD_LOCK_LEASE_MS } from '../../functions/domain/child-lock';
import { ENV } from '../../functions/shared/config';
import {
  FUNCTIONS,
  HANDLER_METADATA_KEY,
  type FunctionId,
  type FunctionSpec,
} from '../../infra/functions-catalog';
import { REPO_ROOT } from '../../infra/constructs/referral-function';
import {
  actionsOf,
  functionByRole,
  functionLogicalId,
  functionsAllowed,
  resourcesOf,
  statementsByRole,
  synth,
  type Synthesized,
} from './synth';

const ids = Object.keys(FUNCTIONS) as FunctionId[];
const spec = (id: FunctionId): FunctionSpec => FUNCTIONS[id];
const idsWhere = (pred: (s: FunctionSpec) => boolean) =>
  ids
    .filter((id) => pred(spec(id)))
    .map(functionLogicalId)
    .sort();

let s: Synthesized;
beforeAll(() => {
  s = synth();
}, 120_000);
afterAll(() => s?.cleanup());

describe('Lambda functions', () => {
  it('creates one function per FUNCTIONS entry, with readable logical ids', () => {
    const fns = resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function');
    // Besides them, only CDK's AwsCustomResource provider, which writes the partnership at deploy time.
    const provider = /^AWS679f53fac002430cb0da5b7982bd2287/;
    expect(Object.keys(fns).filter((id) => provider.test(id))).toHaveLength(1);
    expect(
      Object.keys(fns)
        .filter((id) => !provider.test(id))
        .sort(),
    ).toEqual(ids.map(functionLogicalId).sort());
  });

  it('runs every function on nodejs22.x / arm64 with tracing, and tags it with its existing handler file', () => {
    for (const id of ids) {
      const fn = resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')[functionLogicalId(id)]!;
      expect(fn.Properties?.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties?.Architectures, id).toEqual(['arm64']);
      expect(fn.Properties?.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(fn.Properties?.MemorySize, id).toBe(512);
      const entry = fn.Metadata?.[HANDLER_METADATA_KEY];
      expect(entry, id).toBe(spec(id).entry);
      expect(existsSync(join(REPO_ROOT, entry as string)), `${entry} exists`).toBe(true);
    }
  });

  it('ends every intake before its child lock may be taken over (the lease outlives the function)', () => {
    const fn = resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')[functionLogicalId('referralForm')]!;
    const timeoutMs = (fn.Properties?.Timeout as number) * 1000;
    expect(timeoutMs).toBeGreaterThan(0);
    // Room for clock skew between Lambda hosts: at least a minute between the timeout and the lease.
    expect(timeoutMs + 60_000).toBeLessThanOrEqual(CHILD_LOCK_LEASE_MS);
  });

  it('gives every function its configuration environment', () => {
    for (const id of ids) {
      const fn = resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')[functionLogicalId(id)]!;
      const vars = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const name of [
        ENV.tableName,
        ENV.publicBaseUrl,
        ENV.senderEmail,
        ENV.sesConfigurationSet,
        ENV.linkTtlDays,
        ENV.partnershipId,
      ])
        expect(vars[name], `${id} ${name}`).toBeDefined();
      expect(vars[ENV.emailTransport]).toBe('ses');
      expect(vars[ENV.partnershipId]).toBe('stockholm-bris');
      // Source maps are deployed but not loaded at a cold start (SOURCE_MAPS_AT_RUNTIME, measured).
      expect(vars.NODE_OPTIONS).toBeUndefined();
      expect(vars[ENV.stateMachineArn] !== undefined, `${id} STATE_MACHINE_ARN`).toBe(
        !!spec(id).starts?.length || spec(id).callbacks === true,
      );
      expect(vars[ENV.identityKeySecretArn] !== undefined, `${id} IDENTITY_KEY_SECRET_ARN`).toBe(
        spec(id).readsIdentityKey === true,
      );
      // Never the key itself, only where to read it.
      expect(vars[ENV.identityKey]).toBeUndefined();
    }
  });

  it('uses PUBLIC_BASE_URL = the API endpoint when context publicBaseUrl is empty', () => {
    const fn = resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')[functionLogicalId('links')]!;
    const vars = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    const [apiId] = Object.keys(resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Api'));
    expect(vars[ENV.publicBaseUrl]).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
  });

  it('writes each function log to its own KMS-encrypted log group with a retention', () => {
    const groups = resourcesOf(s.statelessTemplate, 'AWS::Logs::LogGroup');
    for (const id of ids) {
      const fn = resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')[functionLogicalId(id)]!;
      const ref = (fn.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const group = groups[ref]!;
      expect(group.Properties?.KmsKeyId, id).toBeDefined();
      expect(group.Properties?.RetentionInDays, id).toBe(365);
    }
  });

  it('gives function roles no managed policies (log writing is scoped to the own log group)', () => {
    for (const role of functionByRole(s.statelessTemplate).keys()) {
      const r = resourcesOf(s.statelessTemplate, 'AWS::IAM::Role')[role]!;
      expect(r.Properties?.ManagedPolicyArns, role).toBeUndefined();
    }
  });
});

describe('least privilege', () => {
  it('only the functions that resume waits can answer callbacks, on the two state machines only', () => {
    const callbacks = idsWhere((x) => x.callbacks === true);
    expect(callbacks).toEqual(
      [
        'links',
        'close',
        'groupComplete',
        // placing the children of a confirmed group resumes their pool waits
        'groupPlacement',
        // replaying an answer recorded before a crash or retry
        'screening',
        'informationRequest',
        'consent',
        'consentEscalation',
        'groupAssignment',
        'homeVisit',
        'sessions',
        'groupAttendance',
        // acting on a step from the staff task inbox, as its link does
        'staffTasks',
      ]
        .map(functionLogicalId)
        .sort(),
    );
    expect(functionsAllowed(s.statelessTemplate, 'states:SendTaskSuccess')).toEqual(callbacks);
    expect(functionsAllowed(s.statelessTemplate, 'states:SendTaskFailure')).toEqual(callbacks);
    expect(functionsAllowed(s.statelessTemplate, 'states:SendTaskHeartbeat')).toEqual([]);
    const names = Object.values(resourcesOf(s.statelessTemplate, 'AWS::StepFunctions::StateMachine')).map(
      (m) => m.Properties?.StateMachineName as string,
    );
    expect(names.sort()).toEqual(['bris-groups-dev', 'bris-referrals-dev']);
    for (const { statement } of statementsByRole(s.statelessTemplate))
      if (actionsOf(statement).some((a) => a.startsWith('states:'))) {
        const resources = JSON.stringify(statement.Resource);
        expect(resources).toMatch(/stateMachine:bris-(referrals|groups)-dev/);
        expect(resources).not.toContain('*');
      }
  });

  it('only the form (and the staff retry) start referral executions, and only group confirmations (links, staff inbox) and the staff retry start groups', () => {
    const starters = functionsAllowed(s.statelessTemplate, 'states:StartExecution');
    // The referral machine's own role continues a referral in its next execution, on its own ARN only.
    const machineRole = starters.find((id) => id.startsWith('role:ReferralWorkflowStateMachineRole'));
    expect(machineRole).toBeDefined();
    const own = statementsByRole(s.statelessTemplate).filter(
      ({ role, statement }) =>
        `role:${role}` === machineRole && actionsOf(statement).includes('states:StartExecution'),
    );
    expect(own).toHaveLength(1);
    expect(JSON.stringify(own[0]!.statement.Resource)).toMatch(/:stateMachine:bris-referrals-dev"/);
    expect(starters.filter((id) => id !== machineRole)).toEqual(
      ['referralForm', 'links', 'staff', 'staffTasks'].map(functionLogicalId).sort(),
    );
    expect(idsWhere((x) => x.starts?.includes('referral') === true)).toEqual(
      [functionLogicalId('referralForm'), functionLogicalId('staff')].sort(),
    );
    expect(idsWhere((x) => x.starts?.includes('group') === true)).toEqual(
      // links and the inbox confirm groups; the staff overview retries a failed one
      ['links', 'staff', 'staffTasks'].map(functionLogicalId).sort(),
    );
  });

  it('no policy allows dynamodb:Scan or any wildcard DynamoDB action', () => {
    for (const template of [s.statefulTemplate, s.statelessTemplate])
      for (const { role, statement } of statementsByRole(template))
        for (const action of actionsOf(statement)) {
          expect(action, role).not.toBe('dynamodb:Scan');
          if (action.startsWith('dynamodb:') || action === '*') expect(action, role).not.toContain('*');
        }
  });

  it('every function gets item-level table access on the table and its named indexes', () => {
    const allowed = functionsAllowed(s.statelessTemplate, 'dynamodb:Query');
    expect(allowed).toEqual(ids.map(functionLogicalId).sort());
    const byRole = functionByRole(s.statelessTemplate);
    for (const { role, statement } of statementsByRole(s.statelessTemplate)) {
      if (!actionsOf(statement).includes('dynamodb:Query')) continue;
      expect(byRole.has(role)).toBe(true);
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toContain('/index/GSI1');
      expect(resources).toContain('/index/GSI2');
      expect(resources).not.toContain('*');
    }
  });

  it('only functions that send email may call ses:SendEmail, and only as the sender identity', () => {
    expect(functionsAllowed(s.statelessTemplate, 'ses:SendEmail')).toEqual(
      idsWhere((x) => x.sendsEmail === true),
    );
    for (const { statement } of statementsByRole(s.statelessTemplate)) {
      if (!actionsOf(statement).includes('ses:SendEmail')) continue;
      expect(statement.Resource).not.toBe('*');
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toContain(':identity/');
      expect(resources).toContain(':configuration-set/');
    }
  });

  it('only functions with readsIdentityKey can read the identity-key secret', () => {
    expect(functionsAllowed(s.statelessTemplate, 'secretsmanager:GetSecretValue')).toEqual(
      idsWhere((x) => x.readsIdentityKey === true),
    );
    const [secretId] = Object.keys(resourcesOf(s.statelessTemplate, 'AWS::SecretsManager::Secret'));
    for (const { statement } of statementsByRole(s.statelessTemplate))
      if (actionsOf(statement).includes('secretsmanager:GetSecretValue'))
        expect(statement.Resource).toEqual({ Ref: secretId });
  });

  it('the identity-key secret is a generated 64-character string encrypted with the CMK', () => {
    s.statelessTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
      KmsKeyId: Match.anyValue(),
    });
  });

  it('Resource "*" appears only for actions without resource-level permissions (X-Ray, log delivery)', () => {
    const allowedWithStar =
      /^(xray:|logs:(Create|Get|Update|Delete|List)LogDelivery|logs:ListLogDeliveries|logs:PutResourcePolicy|logs:DescribeResourcePolicies|logs:DescribeLogGroups)/;
    for (const { role, statement } of statementsByRole(s.statelessTemplate)) {
      if (
        statement.Resource !== '*' &&
        !(Array.isArray(statement.Resource) && statement.Resource.includes('*'))
      )
        continue;
      for (const action of actionsOf(statement)) expect(action, role).toMatch(allowedWithStar);
    }
  });
});

describe('workflow', () => {
  it('is a STANDARD state machine with full logging and tracing', () => {
    s.statelessTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of FUNCTIONS, each bound to its function', () => {
    const routes = resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Route');
    const integrations = resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Integration');
    const actual = Object.values(routes).map((r) => {
      const target = r.Properties?.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = integrations[target['Fn::Join'][1][1].Ref]!;
      const fn = (integration.Properties?.IntegrationUri as { 'Fn::GetAtt': [string, string] })[
        'Fn::GetAtt'
      ][0];
      return `${String(r.Properties?.RouteKey)} -> ${fn}`;
    });
    const expected = ids.flatMap((id) =>
      (spec(id).routes ?? []).map((route) => `${route} -> ${functionLogicalId(id)}`),
    );
    // Every other path and method goes to the form's function, which answers with the 404 page.
    expected.push(`$default -> ${functionLogicalId('referralForm')}`);
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('answers an unmatched request ($default) with the Swedish not-found page and the security headers', async () => {
    const { handler } = await import('../../functions/referral-form/handler');
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/wp-admin',
      rawQueryString: '',
      headers: {},
      requestContext: { http: { method: 'HEAD', path: '/wp-admin' } },
      isBase64Encoded: false,
    } as unknown as Parameters<typeof handler>[0];
    const res = await handler(event, { awsRequestId: 'test' } as Parameters<typeof handler>[1]);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<html lang="sv">');
    expect(res.headers?.['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers?.['strict-transport-security']).toBeDefined();
  });

  it('logs access to an encrypted log group (no IP, no path) and throttles the default stage', () => {
    s.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
    });
    const [stage] = Object.values(resourcesOf(s.statelessTemplate, 'AWS::ApiGatewayV2::Stage'));
    const format = (stage?.Properties?.AccessLogSettings as { Format: string }).Format;
    expect(format).not.toContain('$context.identity.sourceIp');
    expect(format).not.toContain('$context.path');
    const destination = (
      stage?.Properties?.AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': [string, string] } }
    ).DestinationArn;
    const group = resourcesOf(s.statelessTemplate, 'AWS::Logs::LogGroup')[destination['Fn::GetAtt'][0]]!;
    expect(group.Properties?.KmsKeyId).toBeDefined();
  });

  it('outputs the API URL', () => {
    s.statelessTemplate.hasOutput('ApiUrl', {});
  });
});

describe('SES', () => {
  it("has the sender's domain identity (from context), signing with DKIM, with the configuration set", () => {
    s.statelessTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'bris-referrals-dev' });
    s.statelessTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.org',
      DkimAttributes: { SigningEnabled: true },
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });
});

describe('context', () => {
  it('uses context publicBaseUrl (without trailing slash) when given', () => {
    const other = synth({ publicBaseUrl: 'https://stodgrupper.example.org/', linkTtlDays: 7 });
    try {
      const fn = resourcesOf(other.statelessTemplate, 'AWS::Lambda::Function')[functionLogicalId('intake')]!;
      const vars = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars[ENV.publicBaseUrl]).toBe('https://stodgrupper.example.org');
      expect(vars[ENV.linkTtlDays]).toBe('7');
    } finally {
      other.cleanup();
    }
  }, 120_000);
});
