/**
 * Everything that can be redeployed freely: the Lambda functions (one per entry in FUNCTIONS), the
 * referral workflow, the daily erasure schedule, the HTTP API, the SES identity and configuration set, and the identity-key secret.
 *
 * Order matters (no circular dependency): API → task functions → ReferralWorkflow (built from the task
 * functions) → HTTP functions (they need the state machine's ARN; the state machine never needs them).
 */
import {
  ArnFormat,
  CfnOutput,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  TimeZone,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke as ScheduledLambda } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  ConfigurationSet,
  DkimIdentity,
  EmailSendingEvent,
  EventDestination,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct, IConstruct } from 'constructs';
import { isAbsolute, join } from 'node:path';
import { ENV } from '../../functions/shared/config';
import { ZONE } from '../../functions/domain/time-zone';
import { ReferralWorkflow, type ReferralTaskFunctions } from '../../workflows/referral-workflow';
import { GroupWorkflow, type GroupTaskFunctions } from '../../workflows/group-workflow';
import { FUNCTIONS, type FunctionId, type FunctionSpec } from '../functions-catalog';
import { ReferralFunction } from '../constructs/referral-function';
import { OperationsAlarms } from '../constructs/operations-alarms';
import { grantTableItemAccess } from '../constructs/referral-table';
import { REPO_ROOT } from '../constructs/referral-function';
import { PARTNERSHIP_FILE, partnershipItem, readPartnershipFile } from '../partnership-file';
import { PUBLIC_POST_LIMITS } from '../public-post-limits';

export interface StatelessStackProps extends StackProps {
  table: ITable;
  /** Customer-managed key of the stateful stack: encrypts the secret and every log group here. */
  key: IKey;
}

/** Settings read from CDK context (cdk.json, or `-c name=value`). */
export interface ReferralContext {
  stage: string;
  senderEmail: string;
  /** The SES domain identity (DKIM); the sender's domain unless given. */
  senderDomain: string;
  alarmEmail?: string;
  sesConfigurationSetName: string;
  publicBaseUrl: string;
  linkTtlDays: number;
  /** The partnership the deploy provisions (absolute path). */
  partnershipFile: string;
}

/** Public form and capability links: low, human-driven traffic. */
export const API_THROTTLE = { rateLimit: 20, burstLimit: 40 } as const;

/** `referralForm` → `ReferralForm`. */
const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** Records a cdk-nag (v3) acknowledgement: one rule or one finding (`Rule[Finding]`), always with a reason. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** What a stage name may be: it becomes part of stack, state machine, API and SES names. */
export const STAGE_PATTERN = /^[a-z0-9-]{1,20}$/;

/** The stage (CDK context `stage`, default `dev`), checked against STAGE_PATTERN. */
export function readStage(scope: Construct): string {
  const raw = scope.node.tryGetContext('stage') as unknown;
  const stage = raw === undefined || raw === null || raw === '' ? 'dev' : String(raw);
  if (!STAGE_PATTERN.test(stage))
    throw new Error(
      `CDK context stage must be 1–20 lowercase letters, digits or hyphens (got "${stage}"); ` +
        'it becomes part of the stack and resource names',
    );
  return stage;
}

export function readContext(scope: Construct): ReferralContext {
  const get = (key: string) => scope.node.tryGetContext(key) as unknown;
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const senderEmail = str(get('senderEmail'));
  if (!senderEmail) throw new Error('CDK context senderEmail is required (cdk.json or -c senderEmail=…)');
  const linkTtlDays = Number(get('linkTtlDays') ?? 14);
  if (!Number.isFinite(linkTtlDays) || linkTtlDays <= 0)
    throw new Error('CDK context linkTtlDays must be a positive number');
  const stage = readStage(scope);
  return {
    stage,
    senderEmail,
    senderDomain: str(get('senderDomain')) || senderEmail.split('@')[1]!,
    alarmEmail: str(get('alarmEmail')) || undefined,
    // Named after the stage unless set explicitly (sesConfigurationSetName, or sesConfigurationSet):
    // configuration set names are unique per account and region.
    sesConfigurationSetName:
      str(get('sesConfigurationSetName')) || str(get('sesConfigurationSet')) || `bris-referrals-${stage}`,
    // "api" (or unset): the HTTP API's own URL.
    publicBaseUrl: str(get('publicBaseUrl')) === 'api' ? '' : str(get('publicBaseUrl')).replace(/\/+$/, ''),
    linkTtlDays,
    partnershipFile: resolvePath(str(get('partnershipFile'))) ?? PARTNERSHIP_FILE,
  };
}

const resolvePath = (p: string) => (!p ? undefined : isAbsolute(p) ? p : join(REPO_ROOT, p));

export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  readonly workflow: ReferralWorkflow;
  readonly groupWorkflow: GroupWorkflow;
  /** Invokes the erasure sweep daily at 03:00 Europe/Stockholm. */
  readonly erasureSchedule: Schedule;
  readonly functions: Record<FunctionId, ReferralFunction>;
  readonly identityKey: Secret;
  readonly emailIdentity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** SES publishes bounces and complaints here (encrypted, SSL only); the email-events function reads them. */
  readonly emailEventsTopic: Topic;
  readonly emailEventsKey: Key;
  /** Alarms on failures of every kind, to one SNS topic; the operations dashboard. */
  readonly operations: OperationsAlarms;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const ctx = readContext(this);
    const { table, key } = props;
    // Validated at synth: a broken file stops the synth with every bad field named, before any deploy.
    const partnership = readPartnershipFile(ctx.partnershipFile);

    // ---- HTTP API (created first: every function gets its URL as PUBLIC_BASE_URL) ----------------
    this.api = new HttpApi(this, 'Api', {
      apiName: `bris-referrals-${ctx.stage}`,
      description: 'Bris referrals: public referral form and capability links',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.apiStage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No source IP, no path, no user agent: `$context.path` would put capability-link tokens in the
        // logs, and IP addresses are personal data. The route key ("GET /links/{id}") is enough.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTimeEpoch',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const publicBaseUrl = ctx.publicBaseUrl || this.api.apiEndpoint;

    // ---- SES ------------------------------------------------------------------------------------
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: ctx.sesConfigurationSetName,
    });
    this.emailIdentity = new EmailIdentity(this, 'SenderIdentity', {
      // A domain identity with Easy DKIM: SES gives three CNAME records (outputs below) to put in the
      // domain's DNS; once they resolve the domain is verified and mail is DKIM-signed.
      identity: Identity.domain(ctx.senderDomain),
      dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
      dkimSigning: true,
      configurationSet: this.configurationSet,
    });
    const configurationSetArn = this.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });

    // ---- Identity-number HMAC key -----------------------------------------------------------------
    this.identityKey = new Secret(this, 'IdentityKey', {
      description:
        'HMAC key for identity numbers (duplicate detection of active referrals). Not rotated: see the SMG4 acknowledgement.',
      encryptionKey: key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Losing it orphans every active-child lock in the (retained) table.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.identityKey,
      'AwsSolutions-SMG4',
      'Not rotated on purpose: identity numbers are stored only as HMACs under this key, and duplicate detection ' +
        'of active referrals compares new HMACs with stored ones. Rotation would silently break duplicate detection ' +
        'for every active referral. Only functions flagged readsIdentityKey (the form, and those that derive step links from it) can read it.',
    );

    // ---- Functions ----------------------------------------------------------------------------------
    const baseEnvironment: Record<string, string> = {
      [ENV.tableName]: table.tableName,
      [ENV.publicBaseUrl]: publicBaseUrl,
      [ENV.senderEmail]: ctx.senderEmail,
      [ENV.sesConfigurationSet]: this.configurationSet.configurationSetName,
      [ENV.linkTtlDays]: String(ctx.linkTtlDays),
      [ENV.partnershipId]: partnership.id,
      [ENV.emailTransport]: 'ses',
    };

    const createFunction = (
      fnId: FunctionId,
      extraEnvironment: Record<string, string> = {},
    ): ReferralFunction => {
      const spec: FunctionSpec = FUNCTIONS[fnId];
      const isHttp = (spec.routes?.length ?? 0) > 0;
      const environment = { ...baseEnvironment, ...extraEnvironment };
      if (spec.readsIdentityKey) environment[ENV.identityKeySecretArn] = this.identityKey.secretArn;
      const logicalId = `${pascal(fnId)}Function`;
      const fn = new ReferralFunction(this, logicalId, {
        entry: spec.entry,
        description: spec.description,
        logKey: key,
        environment,
        // A scheduled sweep works through a list (it stops starting new work well before its timeout).
        timeout: isHttp ? Duration.seconds(10) : spec.scheduled ? Duration.minutes(5) : Duration.seconds(30),
      });
      (fn.node.defaultChild as CfnFunction).overrideLogicalId(logicalId);

      grantTableItemAccess(table, fn);
      if (spec.readsIdentityKey) {
        // Not `secret.grantRead`: with the key in the stateful stack, that grant writes this role into the
        // key policy (a cross-stack cycle). The key policy already delegates to IAM, so the role's own
        // policy is enough: GetSecretValue on this secret, Decrypt only through Secrets Manager.
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['secretsmanager:GetSecretValue'],
            resources: [this.identityKey.secretArn],
          }),
        );
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [key.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
          }),
        );
      }
      if (spec.sendsEmail) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['ses:SendEmail'],
            resources: [this.emailIdentity.emailIdentityArn, configurationSetArn],
          }),
        );
      }
      return fn;
    };

    // Fixed names, so ARNs are known up front: a task function may resume tasks of its own state machine
    // (a freed seat resumes another referral) without a reference cycle between function and machine.
    const machineArn = (name: string) =>
      this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const names = { referral: `bris-referrals-${ctx.stage}`, group: `bris-groups-${ctx.stage}` } as const;
    const arns = { referral: machineArn(names.referral), group: machineArn(names.group) };

    const functions: Partial<Record<FunctionId, ReferralFunction>> = {};
    for (const fnId of Object.keys(FUNCTIONS) as FunctionId[]) {
      const spec: FunctionSpec = FUNCTIONS[fnId];
      const extra: Record<string, string> = {};
      if (spec.starts?.length || spec.callbacks) {
        extra[ENV.stateMachineArn] = arns.referral;
        extra[ENV.groupStateMachineArn] = arns.group;
      }
      const fn = createFunction(fnId, extra);
      if (spec.starts?.length) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['states:StartExecution'],
            resources: spec.starts.map((m) => arns[m]),
          }),
        );
      }
      if (spec.callbacks) {
        // Step Functions authorizes SendTask* for callback tasks against the state machine's ARN.
        // No SendTaskHeartbeat: the handlers never heartbeat.
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
            resources: [arns.referral, arns.group],
          }),
        );
      }
      functions[fnId] = fn;
    }
    const task = (fnId: FunctionId) => functions[fnId] as ReferralFunction;
    const tasksOf = (workflow: 'referral' | 'group') =>
      Object.fromEntries(
        (Object.keys(FUNCTIONS) as FunctionId[])
          .filter((id) => (FUNCTIONS[id] as FunctionSpec).workflow === workflow)
          .map((id) => [id, task(id)]),
      );

    // ---- Workflows ------------------------------------------------------------------------------------
    this.workflow = new ReferralWorkflow(this, 'ReferralWorkflow', {
      functions: tasksOf('referral') as unknown as ReferralTaskFunctions,
      logKey: key,
      stateMachineName: names.referral,
    });
    this.groupWorkflow = new GroupWorkflow(this, 'GroupWorkflow', {
      functions: tasksOf('group') as unknown as GroupTaskFunctions,
      logKey: key,
      stateMachineName: names.group,
    });
    for (const [machine, workflow] of [
      ['referral', this.workflow],
      ['group', this.groupWorkflow],
    ] as const) {
      acknowledge(
        workflow.stateMachine,
        'AwsSolutions-IAM5[Resource::*]',
        'Only CloudWatch Logs vended-log delivery (logs:CreateLogDelivery, …, logs:DescribeLogGroups) and X-Ray ' +
          '(xray:PutTraceSegments, …) use Resource "*": these actions do not support resource-level permissions.',
      );
      for (const fnId of Object.keys(tasksOf(machine))) {
        acknowledge(
          workflow.stateMachine,
          `AwsSolutions-IAM5[Resource::<${pascal(fnId)}Function.Arn>:*]`,
          `lambda:InvokeFunction on the ${fnId} function and its versions/aliases (ARN + ":*"), as granted by LambdaInvoke; ` +
            'scoped to that one function.',
        );
      }
    }
    const stateMachine = this.workflow.stateMachine;
    this.functions = functions as Record<FunctionId, ReferralFunction>;

    // ---- Erasure after the retention period ---------------------------------------------------------
    // A daily sweep over the table's index of due erasures (Close records one per referral), rather than
    // a Wait in the execution (a Standard execution lives at most a year; retention alone is twelve months)
    // or one EventBridge Scheduler schedule per referral: one schedule and one role instead of thousands of
    // schedules; the due list lives in the table (backed up, point-in-time recoverable); a failed erasure
    // simply stays due and the next sweep retries it; and the local runtime drives the same schedule on its
    // fast clock. An erasure is at most a day late, which is fine for a twelve-month retention period.
    // 03:00 Stockholm time (summer time included), when nobody works in the system.
    const sweepRole = new Role(this, 'ErasureSweepScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'EventBridge Scheduler: invokes the daily erasure sweep, and nothing else',
    });
    this.erasureSchedule = new Schedule(this, 'ErasureSweepSchedule', {
      scheduleName: `bris-erasure-sweep-${ctx.stage}`,
      description: 'Daily erasure of referrals whose retention period has passed',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '3', timeZone: TimeZone.of(ZONE) }),
      timeWindow: TimeWindow.off(),
      target: new ScheduledLambda(this.functions.erasureSweep, {
        role: sweepRole,
        // Delivery retries (throttling, a Lambda service error) for up to six hours; the function itself is
        // invoked asynchronously, so Lambda retries a failed run twice. Whatever is still due waits a day.
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
      }),
    });
    acknowledge(
      sweepRole,
      'AwsSolutions-IAM5[Resource::<ErasureSweepFunction.Arn>:*]',
      'lambda:InvokeFunction on the erasure sweep function and its versions/aliases (ARN + ":*"), as granted by ' +
        "the scheduler's LambdaInvoke target; scoped to that one function.",
    );

    // ---- SES bounces and complaints ------------------------------------------------------------------
    // Every send names the configuration set; its event destination publishes bounces and complaints to
    // an encrypted topic, whose one subscriber marks the recipient and tells the people who need to know.
    // A key of this stack, not the stateful one: SES must be allowed to use it in its key policy, and a
    // grant on the stateful key from here would tie the two stacks in a cycle.
    this.emailEventsKey = new Key(this, 'EmailEventsKey', {
      description: 'Encrypts the SNS topic of SES bounce and complaint events',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.emailEventsKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': configurationSetArn },
        },
      }),
    );
    this.emailEventsTopic = new Topic(this, 'EmailEventsTopic', {
      topicName: `bris-email-events-${ctx.stage}`,
      masterKey: this.emailEventsKey,
      enforceSSL: true,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.emailEventsTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    for (const fnId of Object.keys(FUNCTIONS) as FunctionId[])
      if ((FUNCTIONS[fnId] as FunctionSpec).emailEvents)
        this.emailEventsTopic.addSubscription(new LambdaSubscription(this.functions[fnId]));

    // ---- Routes ---------------------------------------------------------------------------------------
    for (const fnId of Object.keys(FUNCTIONS) as FunctionId[]) {
      const spec: FunctionSpec = FUNCTIONS[fnId];
      if (!spec.routes?.length) continue;
      const integration = new HttpLambdaIntegration(`${pascal(fnId)}Integration`, this.functions[fnId]);
      for (const routeKey of spec.routes) {
        const [method, path, ...rest] = routeKey.split(' ');
        if (!method || !path || rest.length > 0 || !(method in HttpMethod)) {
          throw new Error(`Bad route "${routeKey}" for ${fnId} in infra/functions-catalog.ts`);
        }
        const routes = this.api.addRoutes({
          path,
          methods: [HttpMethod[method as keyof typeof HttpMethod]],
          integration,
        });
        // A route's throttle in the stage names its route key, which must exist when the stage is updated.
        if (PUBLIC_POST_LIMITS.some((l) => l.routeKey === routeKey))
          for (const route of routes) this.apiStage.node.addDependency(route);
      }
    }
    // Per-route throttles on the public POSTs (infra/public-post-limits.ts): a flood on one of them is
    // refused (429) at its own route's limit and leaves the rest of the stage's API_THROTTLE to everyone
    // else. Per route, not per client: an HTTP API has no per-client throttle (README, "Abuse limits in AWS": WAF).
    // RouteSettings is raw JSON to CDK (no key conversion): CloudFormation's own PascalCase names.
    const stage = this.apiStage.node.defaultChild as CfnStage;
    stage.routeSettings = Object.fromEntries(
      PUBLIC_POST_LIMITS.map((l) => [
        l.routeKey,
        { ThrottlingRateLimit: l.route.rateLimit, ThrottlingBurstLimit: l.route.burstLimit },
      ]),
    );
    // Every other path or method (HEAD, PROPFIND, a mistyped address) reaches the form's function, which
    // answers with the Swedish "not found" page and the security headers, not API Gateway's bare JSON.
    // Locally the HTTP server answers those itself with the same page (infra/local/http-server.ts).
    const unmatched = new HttpRoute(this, 'UnmatchedRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('UnmatchedIntegration', this.functions.referralForm),
    });
    acknowledge(
      unmatched,
      'AwsSolutions-APIG4',
      'No authorizer on purpose: the catch-all route only answers "not found" (the form function has no ' +
        'handler for it), so it exposes nothing; staff pages keep their own session check.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-APIG4',
      'No authorizer on purpose: GET / and POST /referrals are the public referral form (social workers have no ' +
        'accounts here), and /links/{id} routes are authorized by the link itself: an unguessable, single-use, ' +
        'expiring capability bound to its recipient and step, checked by the links function.',
    );
    // ---- The partnership ----------------------------------------------------------------------------
    // Written by the deploy, from the file, whenever the file changes (CloudFormation updates the custom
    // resource only when its properties change). Not deleted with the stack: the table is retained and
    // referrals refer to the partnership. `npm run partnership -- apply` writes a changed file between deploys.
    // The provider (CDK's singleton function) gets its own role and log group, like every function here:
    // no AWSLambdaBasicExecutionRole, logs only into its own encrypted group.
    const providerLogs = new LogGroup(this, 'PartnershipProviderLogs', {
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const providerRole = new Role(this, 'PartnershipProviderRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Execution role of the custom resource that writes the partnership item',
    });
    providerRole.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [providerLogs.logGroupArn],
      }),
    );
    const provisioning = new AwsCustomResource(this, 'Partnership', {
      resourceType: 'Custom::Partnership',
      installLatestAwsSdk: false,
      role: providerRole,
      logGroup: providerLogs,
      onUpdate: {
        service: 'DynamoDB',
        action: 'putItem',
        parameters: { TableName: table.tableName, Item: partnershipItem(partnership) },
        physicalResourceId: PhysicalResourceId.of(`partnership-${partnership.id}`),
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn] }),
        // The table is encrypted with the customer-managed key: a write needs the key through DynamoDB.
        new PolicyStatement({
          actions: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
        }),
      ]),
    });
    provisioning.node.addMetadata('bris:partnership', partnership.id);
    // The provider is a singleton function at the stack's root, named after a fixed UUID.
    const provider = this.node.findChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
    acknowledge(
      provider,
      'AwsSolutions-L1',
      'The runtime of the AwsCustomResource provider is chosen by aws-cdk-lib, not by this app; it runs only during ' +
        'deploys, to write the partnership item, and is updated with aws-cdk-lib.',
    );

    // ---- Alarms and dashboard ------------------------------------------------------------------------
    this.operations = new OperationsAlarms(this, 'Operations', {
      stage: ctx.stage,
      alarmEmail: ctx.alarmEmail,
      stateMachines: { referral: stateMachine, group: this.groupWorkflow.stateMachine },
      functions: this.functions,
      apiStage: this.apiStage,
      apiAccessLogs: accessLogs,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'PublicBaseUrl', {
      value: publicBaseUrl,
      description: 'Base URL used in email links',
    });
    this.emailIdentity.dkimRecords.forEach(
      (record, i) =>
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          value: Fn.join(' ', [record.name, 'CNAME', record.value]),
          description: `DNS record ${i + 1} of 3 that verifies ${ctx.senderDomain} in SES (Easy DKIM)`,
        }),
    );
    if (ctx.alarmEmail)
      new CfnOutput(this, 'AlarmEmail', {
        value: ctx.alarmEmail,
        description: 'Where alarms are sent (confirm the SNS subscription email once)',
      });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.operations.topic.topicArn,
      description: 'The SNS topic every alarm publishes to',
    });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'GroupStateMachineArn', { value: this.groupWorkflow.stateMachine.stateMachineArn });
  }
}
