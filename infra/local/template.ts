/**
 * Reads what the local runtime needs from the synthesized CloudFormation templates: the referral
 * state machine's ASL, which handler file each Lambda runs, the HTTP routes, the schedules and the table
 * definition.
 * Nothing here is written a second time by hand.
 */
import { HANDLER_METADATA_KEY } from '../functions-catalog';
import { REFERRAL_WORKFLOW_METADATA } from '../../workflows/referral-workflow';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

export const LOCAL_REGION = 'eu-north-1';
export const LOCAL_ACCOUNT = '000000000000';
export const localFunctionArn = (logicalId: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;

/** Resolves the intrinsics CDK puts in a DefinitionString: Fn::Join, Fn::GetAtt of Lambdas, Ref of pseudo parameters. */
export function resolveIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(resolveIntrinsics).join(sep);
    }
    if ('Fn::GetAtt' in v) {
      const [logicalId, attr] = v['Fn::GetAtt'] as [string, string];
      if (attr === 'Arn') return localFunctionArn(logicalId);
      throw new Error(`Unsupported Fn::GetAtt ${logicalId}.${attr}`);
    }
    if ('Ref' in v) {
      const ref = v.Ref as string;
      if (ref === 'AWS::Partition') return 'aws';
      if (ref === 'AWS::Region') return LOCAL_REGION;
      if (ref === 'AWS::AccountId') return LOCAL_ACCOUNT;
      if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
      return ref;
    }
  }
  throw new Error(`Unsupported intrinsic in template: ${JSON.stringify(value).slice(0, 200)}`);
}

function findByMetadata(t: CfnTemplate, key: string, value: string): [string, CfnResource] | undefined {
  return Object.entries(t.Resources).find(([, r]) => r.Metadata?.[key] === value);
}

export interface ReferralWorkflowDefinition {
  asl: { StartAt: string; States: Record<string, Record<string, unknown>> } & Record<string, unknown>;
}

/** Every state machine tagged `bris:workflow`, by its role (`referral`, `group`). */
export function stateMachines(templates: CfnTemplate[]): Record<string, ReferralWorkflowDefinition> {
  const out: Record<string, ReferralWorkflowDefinition> = {};
  for (const t of templates)
    for (const r of Object.values(t.Resources)) {
      const role = r.Metadata?.[REFERRAL_WORKFLOW_METADATA.key];
      if (r.Type === 'AWS::StepFunctions::StateMachine' && typeof role === 'string')
        out[role] = { asl: JSON.parse(resolveIntrinsics(r.Properties?.DefinitionString)) };
    }
  if (!out.referral)
    throw new Error('No referral state machine (metadata bris:workflow) in the synthesized templates');
  return out;
}

/** Logical id → handler entry (relative to the repository root). */
export function handlerEntries(templates: CfnTemplate[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of templates)
    for (const [id, r] of Object.entries(t.Resources))
      if (r.Type === 'AWS::Lambda::Function' && typeof r.Metadata?.[HANDLER_METADATA_KEY] === 'string')
        out.set(id, r.Metadata[HANDLER_METADATA_KEY] as string);
  return out;
}

export interface HttpRoute {
  method: string;
  path: string;
  routeKey: string;
  entry: string;
}

export function httpRoutes(templates: CfnTemplate[]): HttpRoute[] {
  const entries = handlerEntries(templates);
  const routes: HttpRoute[] = [];
  for (const t of templates) {
    for (const r of Object.values(t.Resources)) {
      if (r.Type !== 'AWS::ApiGatewayV2::Route') continue;
      const routeKey = r.Properties?.RouteKey as string;
      // The local server answers unmatched paths and methods itself, with the same page.
      if (routeKey === '$default') continue;
      const target = resolveIntrinsics(r.Properties?.Target);
      const integrationId = target.replace(/^integrations\//, '');
      const integration = t.Resources[integrationId];
      const uri = integration?.Properties?.IntegrationUri as { 'Fn::GetAtt'?: [string, string] } | undefined;
      const fnId = uri?.['Fn::GetAtt']?.[0];
      const entry = fnId ? entries.get(fnId) : undefined;
      if (!entry) throw new Error(`Route ${routeKey} has no local handler`);
      const [method, path] = routeKey.split(' ') as [string, string];
      routes.push({ method, path, routeKey, entry });
    }
  }
  return routes;
}

/** An EventBridge Scheduler schedule whose target is one of the functions. */
export interface ScheduleDefinition {
  logicalId: string;
  name: string;
  /** As written in the template, e.g. `cron(0 3 * * ? *)`. */
  expression: string;
  /** IANA zone the expression is read in (UTC when the template names none). */
  timeZone: string;
  enabled: boolean;
  /** The target function's logical id and its handler entry. */
  functionLogicalId: string;
  entry: string;
  /** The event the target is invoked with (the target's Input), `{}` when none. */
  input: unknown;
}

export function schedules(templates: CfnTemplate[]): ScheduleDefinition[] {
  const entries = handlerEntries(templates);
  const out: ScheduleDefinition[] = [];
  for (const t of templates)
    for (const [logicalId, r] of Object.entries(t.Resources)) {
      if (r.Type !== 'AWS::Scheduler::Schedule') continue;
      const p = r.Properties ?? {};
      const target = p.Target as { Arn?: { 'Fn::GetAtt'?: [string, string] }; Input?: string } | undefined;
      const fnId = target?.Arn?.['Fn::GetAtt']?.[0];
      const entry = fnId ? entries.get(fnId) : undefined;
      if (!fnId || !entry)
        throw new Error(`Schedule ${logicalId} does not target a function with a local handler`);
      out.push({
        logicalId,
        name: typeof p.Name === 'string' ? p.Name : logicalId,
        expression: String(p.ScheduleExpression),
        timeZone: typeof p.ScheduleExpressionTimezone === 'string' ? p.ScheduleExpressionTimezone : 'UTC',
        enabled: p.State !== 'DISABLED',
        functionLogicalId: fnId,
        entry,
        input: target?.Input ? (JSON.parse(target.Input) as unknown) : {},
      });
    }
  return out;
}

/**
 * The functions subscribed to the topic that the SES configuration set publishes bounces and complaints
 * to (logical ids): the local mailbox's bounces invoke them, as SNS would.
 */
export function emailEventSubscribers(templates: CfnTemplate[]): string[] {
  const entries = handlerEntries(templates);
  const out: string[] = [];
  for (const t of templates) {
    const topics = new Set<string>();
    for (const r of Object.values(t.Resources)) {
      if (r.Type !== 'AWS::SES::ConfigurationSetEventDestination') continue;
      const d = r.Properties?.EventDestination as
        { SnsDestination?: { TopicARN?: { Ref?: string } } } | undefined;
      if (d?.SnsDestination?.TopicARN?.Ref) topics.add(d.SnsDestination.TopicARN.Ref);
    }
    for (const [logicalId, r] of Object.entries(t.Resources)) {
      if (r.Type !== 'AWS::SNS::Subscription' || r.Properties?.Protocol !== 'lambda') continue;
      const topic = (r.Properties?.TopicArn as { Ref?: string } | undefined)?.Ref;
      const fnId = (r.Properties?.Endpoint as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
        'Fn::GetAtt'
      ]?.[0];
      if (!topic || !topics.has(topic)) continue;
      if (!fnId || !entries.has(fnId))
        throw new Error(`Subscription ${logicalId} does not invoke a function with a local handler`);
      out.push(fnId);
    }
  }
  return out;
}

export interface TableDefinition {
  KeySchema: { AttributeName: string; KeyType: string }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: string }[];
    Projection: Record<string, unknown>;
  }[];
  /** The TTL attribute when the table enables TTL (dynalite has none: infra/local/ttl-sweeper.ts does it). */
  timeToLiveAttribute?: string;
}

export function tableDefinition(templates: CfnTemplate[]): TableDefinition {
  for (const t of templates) {
    const found = findByMetadata(t, 'bris:table', 'referrals');
    if (found) {
      const p = found[1].Properties as unknown as TableDefinition & {
        TimeToLiveSpecification?: { AttributeName?: string; Enabled?: boolean };
      };
      return {
        KeySchema: p.KeySchema,
        AttributeDefinitions: p.AttributeDefinitions,
        GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g) => ({
          IndexName: g.IndexName,
          KeySchema: g.KeySchema,
          Projection: g.Projection,
        })),
        timeToLiveAttribute: p.TimeToLiveSpecification?.Enabled
          ? p.TimeToLiveSpecification.AttributeName
          : undefined,
      };
    }
  }
  throw new Error('No referral table (metadata bris:table) in the synthesized templates');
}
