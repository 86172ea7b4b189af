import {
  ExecutionAlreadyExists,
  InvalidToken,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { StepNoLongerOpenError, type GroupResume, type WorkflowEngine } from '../ports';
import type { Config } from '../shared/config';
import { onFirstUse } from './lazy-client';

export class StepFunctionsWorkflow implements WorkflowEngine {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string | undefined,
    private readonly groupStateMachineArn?: string,
  ) {}

  private async start(arn: string | undefined, name: string, input: Record<string, unknown>): Promise<void> {
    if (!arn) throw new Error('Configuration error: the state machine ARN is not set for this function');
    try {
      // Named after the referral or group: Step Functions refuses a second execution with the same name.
      await this.client.send(
        new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  startReferral(referralId: string): Promise<void> {
    return this.start(this.stateMachineArn, referralId, { referralId });
  }

  resumeReferral(referralId: string, phase: string, attempt: number): Promise<void> {
    return this.start(this.stateMachineArn, `${referralId}-retry-${attempt}`, {
      referralId,
      resumeAt: phase,
    });
  }

  startGroup(groupId: string): Promise<void> {
    return this.start(this.groupStateMachineArn, groupId, { groupId });
  }

  resumeGroup(groupId: string, resume: GroupResume, attempt: number): Promise<void> {
    return this.start(this.groupStateMachineArn, `${groupId}-retry-${attempt}`, { groupId, ...resume });
  }

  private async callback(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken)
        throw new StepNoLongerOpenError('The step is no longer waiting for an answer');
      throw error;
    }
  }

  sendTaskSuccess(taskToken: string, output: Record<string, string>): Promise<void> {
    return this.callback(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    return this.callback(() => this.client.send(new SendTaskFailureCommand({ taskToken, error, cause })));
  }
}

/**
 * The workflow adapter of a function that starts executions or resumes waits (catalog `starts`,
 * `callbacks`), given by its handler: only those bundles hold the Step Functions client, built on first use.
 * Callbacks need no ARN (the token says where it belongs); starting an execution does.
 */
export function stepFunctionsWorkflow(config: Config): WorkflowEngine {
  const engine = onFirstUse(
    () => new StepFunctionsWorkflow(new SFNClient({}), config.stateMachineArn, config.groupStateMachineArn),
  );
  return {
    startReferral: (referralId) => engine().startReferral(referralId),
    resumeReferral: (referralId, phase, attempt) => engine().resumeReferral(referralId, phase, attempt),
    startGroup: (groupId) => engine().startGroup(groupId),
    resumeGroup: (groupId, resume, attempt) => engine().resumeGroup(groupId, resume, attempt),
    sendTaskSuccess: (taskToken, output) => engine().sendTaskSuccess(taskToken, output),
    sendTaskFailure: (taskToken, error, cause) => engine().sendTaskFailure(taskToken, error, cause),
  };
}
