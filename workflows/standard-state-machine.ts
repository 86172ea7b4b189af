import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  CfnStateMachine,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
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
  props: { name: string; role: 'referral' | 'group'; definition: IChainable; comment: string; logKey: IKey },
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
    tracingEnabled: true,
    logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
  });
  (stateMachine.node.defaultChild as CfnStateMachine).addMetadata(WORKFLOW_METADATA_KEY, props.role);
  return stateMachine;
}
