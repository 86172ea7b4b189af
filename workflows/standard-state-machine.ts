import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  CfnStateMachine,
  DefinitionBody,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  StateMachine,
  StateMachineType,
  TaskInput,
  Timeout,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { TRANSIENT_ERRORS } from './referral-states';
import type { Construct } from 'constructs';

/** Marker the local runtime uses to find the state machines in the synthesized template, by role. */
export const WORKFLOW_METADATA_KEY = 'bris:workflow';

/**
 * A Standard state machine the way this project runs them: a fixed name, X-Ray tracing, and every event
 * logged to an encrypted log group without its data (a callback task's parameters hold its task token,
 * which must never reach a log).
 */
export function standardStateMachine(
  scope: Construct,
  props: {
    name: string;
    role: 'referral' | 'group';
    definition: IChainable;
    comment: string;
    logKey: IKey;
    /** The execution's top-level TimeoutSeconds: the proven longest path, under AWS's one year. */
    timeout: Duration;
  },
): StateMachine {
  const logGroup = new LogGroup(scope, 'ExecutionLogs', {
    retention: RetentionDays.THREE_MONTHS,
    encryptionKey: props.logKey,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const stateMachine = new StateMachine(scope, 'StateMachine', {
    stateMachineName: props.name,
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromChainable(props.definition),
    comment: props.comment,
    timeout: props.timeout,
    tracingEnabled: true,
    logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
  });
  (stateMachine.node.defaultChild as CfnStateMachine).addMetadata(WORKFLOW_METADATA_KEY, props.role);
  return stateMachine;
}

/**
 * How much longer a Lambda task waits than its function may run. The Lambda timeout does not include the
 * cold start's init phase (up to 10 s) nor the Invoke call's own queueing, so a task timeout equal to the
 * function's turned a slow cold start into States.Timeout, which no Retry covers. With the margin, a slow
 * function ends in its own result or its own timeout error, never in the task's.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 30;

/** Lambda's upper bound, for a function whose timeout this construct cannot see (an imported one). */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** The timeout of a (non-callback) Lambda task: the function's own timeout plus the margin. */
export function lambdaTaskTimeoutSeconds(lambdaFunction: IFunction): number {
  const functionTimeout = (lambdaFunction as { timeout?: Duration }).timeout;
  return (functionTimeout?.toSeconds() ?? LAMBDA_MAX_TIMEOUT_SECONDS) + TASK_TIMEOUT_MARGIN_SECONDS;
}

/** How a task retries: transient errors only (the default), or everything, for the safety nets. */
export type RetryPolicy = 'transient' | { allErrors: true; intervalSeconds: number; maxAttempts: number };

function addRetry(task: LambdaInvoke, policy: RetryPolicy): LambdaInvoke {
  if (policy === 'transient')
    task.addRetry({
      errors: TRANSIENT_ERRORS,
      interval: Duration.seconds(2),
      maxAttempts: 3,
      backoffRate: 2,
    });
  else
    task.addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(policy.intervalSeconds),
      maxAttempts: policy.maxAttempts,
      backoffRate: 2,
    });
  return task;
}

/**
 * Every task is told its execution's id (an ARN named after the referral or group, nothing personal), so
 * that its log lines can be found from the execution in the console and the other way round.
 */
const EXECUTION_ID = JsonPath.stringAt('$$.Execution.Id');

/** A Lambda task whose result is the function's return value; its timeout exceeds the function's (see above). */
export function lambdaTask(
  scope: Construct,
  id: string,
  lambdaFunction: IFunction,
  payload: Record<string, unknown>,
  resultPath: string,
  retry: RetryPolicy = 'transient',
): LambdaInvoke {
  const task = new LambdaInvoke(scope, id, {
    lambdaFunction,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    payload: TaskInput.fromObject({ ...payload, executionId: EXECUTION_ID }),
    resultPath,
    taskTimeout: Timeout.duration(Duration.seconds(lambdaTaskTimeoutSeconds(lambdaFunction))),
  });
  return addRetry(task, retry);
}

/** A human step: the function is handed a task token and the state waits for the callback, until `timeout`. */
export function callbackTask(
  scope: Construct,
  id: string,
  lambdaFunction: IFunction,
  payload: Record<string, unknown>,
  resultPath: string,
  timeout: Timeout,
): LambdaInvoke {
  const task = new LambdaInvoke(scope, id, {
    lambdaFunction,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    retryOnServiceExceptions: false,
    payload: TaskInput.fromObject({ ...payload, executionId: EXECUTION_ID, taskToken: JsonPath.taskToken }),
    resultPath,
    taskTimeout: timeout,
  });
  return addRetry(task, 'transient');
}
