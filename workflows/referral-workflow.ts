/**
 * The referral state machine: Intake → Screening → Consent → GroupAssignment → Sessions → FollowUp → Close.
 * Human steps use the callback pattern; every task retries transient errors and catches the rest into
 * RecordFailure, which leaves the referral visible as `needs-attention`. Payloads carry ids and codes
 * only, never personal data, because execution history and logs keep them.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  CfnStateMachine,
  Chain,
  DefinitionBody,
  Fail,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { WORKFLOW_ERRORS } from '../functions/domain/steps';
import { HUMAN_STEP_TIMEOUT_SECONDS, REFERRAL_STATES as S, TRANSIENT_ERRORS } from './referral-states';

export interface ReferralTaskFunctions {
  intake: IFunction;
  screening: IFunction;
  consent: IFunction;
  groupAssignment: IFunction;
  sessions: IFunction;
  followUp: IFunction;
  close: IFunction;
  recordFailure: IFunction;
}

export interface ReferralWorkflowProps {
  functions: ReferralTaskFunctions;
  /** Key that encrypts the execution log group. */
  logKey: IKey;
}

/** Marker the local runtime uses to find this state machine in the synthesized template. */
export const REFERRAL_WORKFLOW_METADATA = { key: 'bris:workflow', value: 'referral' } as const;

export class ReferralWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ReferralWorkflowProps) {
    super(scope, id);
    const fn = props.functions;
    const referralId = JsonPath.stringAt('$.referralId');

    const recordFailure = new LambdaInvoke(this, S.recordFailure, {
      lambdaFunction: fn.recordFailure,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      payload: TaskInput.fromObject({ referralId, error: JsonPath.stringAt('$.failure.Error') }),
      resultPath: JsonPath.DISCARD,
      taskTimeout: Timeout.duration(Duration.seconds(30)),
    });
    // RecordFailure is the net under every other state: it retries every error, longer.
    recordFailure.addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(5),
      maxAttempts: 6,
      backoffRate: 2,
    });
    const needsAttention = new Fail(this, S.needsAttention, { error: 'Referral.NeedsAttention' });
    // Even when the record cannot be written after all retries, the execution ends visibly failed.
    recordFailure.addCatch(needsAttention, { errors: ['States.ALL'], resultPath: '$.recordFailure' });
    const failureChain = recordFailure.next(needsAttention);

    const work = (stateId: string, lambdaFunction: IFunction, extra: Record<string, unknown> = {}) => {
      const task = new LambdaInvoke(this, stateId, {
        lambdaFunction,
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        payload: TaskInput.fromObject({ referralId, ...extra }),
        resultPath: JsonPath.DISCARD,
        taskTimeout: Timeout.duration(Duration.seconds(30)),
      });
      task.addRetry({
        errors: TRANSIENT_ERRORS,
        interval: Duration.seconds(2),
        maxAttempts: 3,
        backoffRate: 2,
      });
      task.addCatch(failureChain, { errors: ['States.ALL'], resultPath: '$.failure' });
      return task;
    };

    const humanStep = (
      stateId: string,
      lambdaFunction: IFunction,
      timeoutSeconds: number,
      resultPath: string,
      endings: { error: string; next: Pass }[] = [],
    ) => {
      const task = new LambdaInvoke(this, stateId, {
        lambdaFunction,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        retryOnServiceExceptions: false,
        payload: TaskInput.fromObject({ referralId, taskToken: JsonPath.taskToken }),
        resultPath,
        taskTimeout: Timeout.duration(Duration.seconds(timeoutSeconds)),
      });
      task.addRetry({
        errors: TRANSIENT_ERRORS,
        interval: Duration.seconds(2),
        maxAttempts: 3,
        backoffRate: 2,
      });
      for (const ending of endings)
        task.addCatch(ending.next, { errors: [ending.error], resultPath: '$.failure' });
      task.addCatch(failureChain, { errors: ['States.ALL'], resultPath: '$.failure' });
      return task;
    };

    const close = work(S.close, fn.close, { outcome: JsonPath.stringAt('$.closing.outcome') }).next(
      new Succeed(this, S.closed),
    );
    const outcome = (stateId: string, value: string) =>
      new Pass(this, stateId, { result: Result.fromObject({ outcome: value }), resultPath: '$.closing' });
    const declined = outcome(S.outcomeDeclined, 'declined');
    const consentRefused = outcome(S.outcomeConsentRefused, 'consent-refused');
    declined.next(close);
    consentRefused.next(close);

    const definition = Chain.start(work(S.intake, fn.intake))
      .next(
        humanStep(S.screening, fn.screening, HUMAN_STEP_TIMEOUT_SECONDS.screening, '$.screening', [
          { error: WORKFLOW_ERRORS.declined, next: declined },
        ]),
      )
      .next(
        humanStep(S.consent, fn.consent, HUMAN_STEP_TIMEOUT_SECONDS.consent, '$.consent', [
          { error: WORKFLOW_ERRORS.consentRefused, next: consentRefused },
        ]),
      )
      .next(
        humanStep(
          S.groupAssignment,
          fn.groupAssignment,
          HUMAN_STEP_TIMEOUT_SECONDS.groupAssignment,
          '$.group',
        ),
      )
      .next(humanStep(S.sessions, fn.sessions, HUMAN_STEP_TIMEOUT_SECONDS.sessions, '$.sessions'))
      .next(work(S.followUp, fn.followUp))
      .next(outcome(S.outcomeCompleted, 'completed'))
      .next(close);

    const logGroup = new LogGroup(this, 'ExecutionLogs', {
      retention: RetentionDays.THREE_MONTHS,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      comment: 'One execution per referral of a foster-placed child to a Bris support group.',
      tracingEnabled: true,
      // Every event is logged, but not its data: a waitForTaskToken task's parameters hold the task token,
      // which must never reach a log, and inputs and outputs need not be there for tracing a referral.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
    (this.stateMachine.node.defaultChild as CfnStateMachine).addMetadata(
      REFERRAL_WORKFLOW_METADATA.key,
      REFERRAL_WORKFLOW_METADATA.value,
    );
  }
}
