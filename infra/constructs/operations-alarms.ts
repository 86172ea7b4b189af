/**
 * The operator's view of the system in AWS: one SNS topic for every alarm (the deploy's `alarmEmail`
 * subscribed), an alarm per failure kind, and a small dashboard with the same metrics.
 *
 * Every alarm fires on the first occurrence: the system's traffic is a handful of referrals a week, so a
 * single failed execution, Lambda error or 5xx is a child whose referral may be stuck, not noise.
 * Missing data is "not breaching" throughout: AWS publishes these metrics only when something happens
 * (an execution ends, a function runs, a request arrives, an email is sent), so silence means nothing
 * failed, and an alarm in INSUFFICIENT_DATA would only teach people to ignore the topic.
 *
 * Alarm names are `bris-referrals-<stage>-<kind>`: the topic's and key's grants to CloudWatch are scoped
 * to that pattern (confused deputy), and the subject of the email says what failed.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import {
  LOG_METRICS,
  METRIC_NAMESPACE,
  METRIC_SERVICE,
  METRICS,
  type MetricName,
} from '../../functions/shared/metric-names';
import { PUBLIC_POST_LIMITS } from '../public-post-limits';

// zod/mini loads no locale: the operator's messages keep the English classic zod gave them.
z.config(en());

/** Refused public POSTs (429) per hour that mean someone is flooding the form, links or sign-in. */
export const CLIENT_LIMITED_PER_HOUR = 10;

/** Refused requested emails per hour that mean someone is trying to flood inboxes through a public form. */
export const SEND_LIMITED_PER_HOUR = 10;

/**
 * SES reputation thresholds: the rates at which AWS places an SES account under review. The SES Developer
 * Guide, "Reputation dashboard messages" (https://docs.aws.amazon.com/ses/latest/dg/reputationdashboardmessages.html):
 * a bounce rate of 5% or more, or a complaint rate of 0.1% or more, puts the account under review; the
 * knowledge-center article "Why is my Amazon SES sending account under review or paused?"
 * (https://repost.aws/knowledge-center/ses-resolve-account-review-pause) adds that sending is paused at 10%
 * and 0.5%. Alarming at the review thresholds leaves time to act before consent emails stop going out.
 */
export const SES_REPUTATION_THRESHOLDS = { bounceRate: 0.05, complaintRate: 0.001 } as const;

/** The alarms' periods. */
export const ALARM_PERIODS = {
  /** Executions, functions, API, SES reputation: the standard five-minute period. */
  standard: Duration.minutes(5),
  /** Our own counters (needs-attention, bounces): hourly. */
  hourly: Duration.hours(1),
} as const;

/** NeedsAttention is read over a day: 24 hourly datapoints, one of them enough. */
export const NEEDS_ATTENTION_WINDOW_HOURS = 24;

export interface OperationsAlarmsProps {
  /** The stage: part of every alarm name, the topic's and the dashboard's. */
  stage: string;
  /** Where alarms go; optional only for an offline synth (a deploy's settings require it). */
  alarmEmail?: string;
  stateMachines: { referral: IStateMachine; group: IStateMachine };
  /** Every function of the system, by its catalog id. */
  functions: Record<string, IFunction>;
  /** The HTTP API's stage (metrics by ApiId and Stage). */
  apiStage: HttpStage;
  /** The HTTP API's access log (JSON with a `status` field): where throttled requests show. */
  apiAccessLogs: ILogGroup;
}

/** An email address; the deploy settings also refuse placeholders, this only refuses garbage. */
const alarmEmailSchema = z.email({ error: 'must be an email address: the mailbox where alarms go' });

export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly topicKey: Key;
  readonly dashboard: Dashboard;
  /** Every alarm, by a short kind (e.g. `referral-executions-failed`, `lambda-errors-referralForm`). */
  readonly alarms: Record<string, Alarm> = {};
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    // Checked before anything is created: a mistyped address would deploy a topic nobody reads.
    const checked =
      props.alarmEmail === undefined ? undefined : alarmEmailSchema.safeParse(props.alarmEmail.trim());
    if (checked && !checked.success)
      throw new Error(
        `CDK context alarmEmail: ${checked.error.issues[0]?.message} (got "${props.alarmEmail}"); ` +
          'set it in deploy.config.json or with -c alarmEmail=…',
      );
    const alarmEmail = checked?.data;
    this.prefix = `bris-referrals-${props.stage}`;
    const alarmArnPattern = `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${this.prefix}-*`;
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': alarmArnPattern },
    };

    // ---- Topic --------------------------------------------------------------------------------------
    // Its own key, not the stateful stack's data key: CloudWatch must be allowed to use it, and the data
    // key protects personal data; alarm messages carry none. (The AWS-managed alias/aws/sns key cannot
    // be used: its policy cannot grant CloudWatch.)
    this.topicKey = new Key(this, 'TopicKey', {
      description: `Bris referrals (${props.stage}): encrypts the alarm topic`,
      enableKeyRotation: true,
      // Nothing is stored under it (SNS keeps no messages once delivered): it goes with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisStage',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: `${this.prefix}-alarms`,
      displayName: `Bris referrals ${props.stage}: alarms`,
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    // With enforceSSL the topic gets a policy of its own, which replaces SNS's default one: CloudWatch's
    // right to publish is stated here, for this stage's alarms only.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisStage',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    if (alarmEmail) this.topic.addSubscription(new EmailSubscription(alarmEmail));

    // ---- Executions of both machines ------------------------------------------------------------------
    for (const [machine, sm] of Object.entries(props.stateMachines)) {
      const period = ALARM_PERIODS.standard;
      this.atLeastOne(`${machine}-executions-failed`, sm.metricFailed({ period, statistic: 'Sum' }), {
        description: `A ${machine} execution failed: the staff pages show it as needing attention (retry there).`,
      });
      this.atLeastOne(`${machine}-executions-timed-out`, sm.metricTimedOut({ period, statistic: 'Sum' }), {
        description: `A ${machine} execution outlasted its TimeoutSeconds: a step waited longer than its bounds.`,
      });
      this.atLeastOne(`${machine}-executions-aborted`, sm.metricAborted({ period, statistic: 'Sum' }), {
        description: `A ${machine} execution was stopped (StopExecution): someone stopped it by hand, or a deploy did.`,
      });
    }

    // ---- Lambda -----------------------------------------------------------------------------------------
    // One alarm per function and kind rather than a metric-math sum: an alarm may read at most 10 metrics
    // (there are more functions), and the alarm's name then says which function failed.
    for (const [fnId, fn] of Object.entries(props.functions)) {
      const period = ALARM_PERIODS.standard;
      this.atLeastOne(`lambda-errors-${fnId}`, fn.metricErrors({ period, statistic: 'Sum' }), {
        description: `The ${fnId} function threw or timed out (its log group has the line with the referral id).`,
      });
      this.atLeastOne(`lambda-throttles-${fnId}`, fn.metricThrottles({ period, statistic: 'Sum' }), {
        description: `Invocations of the ${fnId} function were throttled (account concurrency exhausted?).`,
      });
    }

    // ---- HTTP API ---------------------------------------------------------------------------------------
    this.atLeastOne(
      'api-5xx',
      props.apiStage.metricServerError({ period: ALARM_PERIODS.standard, statistic: 'Sum' }),
      {
        description:
          'The HTTP API answered 5xx: a function failed or timed out behind a public page or link.',
      },
    );
    // HTTP APIs publish no throttle metric, and their `4xx` mixes throttling (429) with every mistyped
    // link and bot probe, so an alarm on 4xx would ring for nothing. The access log has the status of
    // every request and no function answers 429 itself, so a metric filter counts exactly the throttled ones.
    const throttled = new MetricFilter(this, 'ApiThrottledFilter', {
      logGroup: props.apiAccessLogs,
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: METRIC_NAMESPACE,
      metricName: LOG_METRICS.apiThrottled,
      metricValue: '1',
    });
    this.atLeastOne('api-throttled', throttled.metric({ period: ALARM_PERIODS.standard, statistic: 'Sum' }), {
      description:
        'The HTTP API refused requests with 429 (stage throttling): people could not open the form or their links.',
    });

    // The same 429s on the public POST routes only (the form, links, sign-in): someone flooding them. The
    // local server counts the metric itself (its per-client limits); here the access log is the only place
    // a route throttle's refusal shows. Ten in an hour is more than a person mistyping.
    const clientLimited = new MetricFilter(this, 'ClientLimitedFilter', {
      logGroup: props.apiAccessLogs,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.status', '=', '429'),
        FilterPattern.any(
          ...PUBLIC_POST_LIMITS.map((l) => FilterPattern.stringValue('$.routeKey', '=', l.routeKey)),
        ),
      ),
      metricNamespace: METRIC_NAMESPACE,
      metricName: METRICS.clientLimited,
      metricValue: '1',
    });
    this.alarm(
      'client-limited',
      clientLimited.metric({ period: ALARM_PERIODS.hourly, statistic: 'Sum' }),
      {
        threshold: CLIENT_LIMITED_PER_HOUR,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      },
      `At least ${CLIENT_LIMITED_PER_HOUR} requests to the public form, links or sign-in were refused by their limits (429) in an hour.`,
    );

    // ---- Our own metrics (the functions' EMF) --------------------------------------------------------------
    // Hourly, 1 of 24: the alarm goes off within the hour a referral or group is recorded as needing
    // attention and stays in ALARM for a day after the last one, so a day with any needs-attention shows.
    this.alarm(
      'needs-attention',
      ownMetric(METRICS.needsAttention, ALARM_PERIODS.hourly),
      {
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: NEEDS_ATTENTION_WINDOW_HOURS,
        datapointsToAlarm: 1,
      },
      'A referral or group was recorded as needing attention in the last day: see /staff/tasks.',
    );
    this.atLeastOne('emails-bounced', ownMetric(METRICS.emailsBounced, ALARM_PERIODS.hourly), {
      description: 'An email bounced in the last hour: the referral timeline says to whom (by role) and why.',
    });
    // One person asking twice too often is normal; ten refusals in an hour is someone trying to flood
    // inboxes (or the sending budget) through the sign-in form.
    this.alarm(
      'send-limited',
      ownMetric(METRICS.sendLimited, ALARM_PERIODS.hourly),
      {
        threshold: SEND_LIMITED_PER_HOUR,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      },
      `At least ${SEND_LIMITED_PER_HOUR} requested emails were refused by the per-address limits in an hour.`,
    );

    // ---- SES reputation (account-wide, what SES's enforcement looks at) ---------------------------------
    // Missing data: SES publishes the rates only once the account has sending history; no data is no risk.
    this.alarm(
      'ses-bounce-rate',
      sesMetric('Reputation.BounceRate'),
      {
        threshold: SES_REPUTATION_THRESHOLDS.bounceRate,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      },
      'The SES bounce rate reached 5%, where AWS places the account under review (sending pauses at 10%).',
    );
    this.alarm(
      'ses-complaint-rate',
      sesMetric('Reputation.ComplaintRate'),
      {
        threshold: SES_REPUTATION_THRESHOLDS.complaintRate,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      },
      'The SES complaint rate reached 0.1%, where AWS places the account under review (sending pauses at 0.5%).',
    );

    // ---- Dashboard ---------------------------------------------------------------------------------------
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: this.prefix,
      defaultInterval: Duration.days(7),
    });
    const machines = Object.entries(props.stateMachines);
    const fns = Object.values(props.functions);
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# Bris referrals (${props.stage})\nAlarms go to the SNS topic \`${this.prefix}-alarms\`. ` +
          'What needs attention is listed on /staff/tasks.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: Object.values(this.alarms),
        width: 24,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      ...machines.map(
        ([machine, sm]) =>
          new GraphWidget({
            title: `${machine} executions`,
            left: [
              sm.metricStarted({ statistic: 'Sum' }),
              sm.metricSucceeded({ statistic: 'Sum' }),
              sm.metricFailed({ statistic: 'Sum' }),
              sm.metricTimedOut({ statistic: 'Sum' }),
              sm.metricAborted({ statistic: 'Sum' }),
            ],
            width: 12,
          }),
      ),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda errors and throttles (all functions)',
        left: fns.map((fn) => fn.metricErrors({ statistic: 'Sum' })),
        right: fns.map((fn) => fn.metricThrottles({ statistic: 'Sum' })),
        width: 12,
      }),
      new GraphWidget({
        title: 'HTTP API requests, 4xx, 5xx, throttled',
        left: [
          props.apiStage.metricCount({ statistic: 'Sum' }),
          props.apiStage.metricClientError({ statistic: 'Sum' }),
          props.apiStage.metricServerError({ statistic: 'Sum' }),
          throttled.metric({ statistic: 'Sum' }),
          clientLimited.metric({ statistic: 'Sum' }),
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Referrals and steps',
        left: [METRICS.referralsAccepted, METRICS.stepsEntered, METRICS.needsAttention].map((m) =>
          ownMetric(m, ALARM_PERIODS.hourly),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Emails',
        left: [METRICS.emailsSent, METRICS.emailsBounced, METRICS.emailsComplained, METRICS.sendLimited].map(
          (m) => ownMetric(m, ALARM_PERIODS.hourly),
        ),
        right: [sesMetric('Reputation.BounceRate'), sesMetric('Reputation.ComplaintRate')],
        width: 12,
      }),
    );
  }

  /** `metric ≥ 1` in one period, to the topic. */
  private atLeastOne(kind: string, metric: IMetric, opts: { description: string }): Alarm {
    return this.alarm(
      kind,
      metric,
      {
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      },
      opts.description,
    );
  }

  private alarm(
    kind: string,
    metric: IMetric,
    condition: {
      threshold: number;
      comparisonOperator: ComparisonOperator;
      evaluationPeriods: number;
      datapointsToAlarm?: number;
    },
    description: string,
  ): Alarm {
    const alarm = new Alarm(this, `Alarm-${kind}`, {
      alarmName: `${this.prefix}-${kind}`,
      alarmDescription: description,
      metric,
      ...condition,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    // Also when it clears, so the mailbox shows the incident is over.
    alarm.addOkAction(action);
    this.alarms[kind] = alarm;
    return alarm;
  }
}

/** One of the functions' metrics (Powertools EMF: our namespace, the `service` dimension only). */
function ownMetric(name: MetricName, period: Duration): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: METRIC_SERVICE },
    statistic: 'Sum',
    period,
  });
}

function sesMetric(name: 'Reputation.BounceRate' | 'Reputation.ComplaintRate'): Metric {
  // A rate: the highest value in the period is the one SES would act on.
  return new Metric({
    namespace: 'AWS/SES',
    metricName: name,
    statistic: 'Maximum',
    period: ALARM_PERIODS.standard,
  });
}
