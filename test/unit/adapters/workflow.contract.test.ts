/**
 * Contract of the workflow adapters. In AWS the Step Functions adapter sends StartExecution and the
 * task-token callbacks; locally the embedded engine (LocalWorkflowEngine) stands in for it. The exact
 * requests are pinned with aws-sdk-client-mock, and the behaviour the use cases rely on (starting twice is
 * no error; a token whose step is over is StepNoLongerOpenError, anything else is a real failure) is checked
 * against both.
 */
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FastForwardClock } from '../../../functions/adapters/clock';
import { StepFunctionsWorkflow } from '../../../functions/adapters/workflow-sfn';
import { StepNoLongerOpenError, type WorkflowEngine } from '../../../functions/ports';
import { newReferenceCode } from '../../../functions/phases/intake/submit-referral';
import { LocalWorkflowEngine } from '../../../infra/local/workflow-engine';

const REFERRALS = 'arn:aws:states:eu-north-1:123456789012:stateMachine:bris-referrals-dev';
const GROUPS = 'arn:aws:states:eu-north-1:123456789012:stateMachine:bris-groups-dev';
const $metadata = {};

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());
afterAll(() => sfn.restore());
const aws = () => new StepFunctionsWorkflow(new SFNClient({ region: 'eu-north-1' }), REFERRALS, GROUPS);
const starts = () => sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);

/** What Step Functions accepts as an execution name (StartExecution `name`): 1–80 characters, no
 * whitespace, brackets, wildcards, special or control characters. */
const isExecutionName = (name: string) =>
  name.length >= 1 &&
  name.length <= 80 &&
  ![...name].some((c) => {
    const code = c.codePointAt(0)!;
    return /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(c) || code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });

describe('Step Functions adapter: StartExecution', () => {
  beforeEach(() => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
  });

  it('starts a referral execution named after the referral, with the referral id as input', async () => {
    await aws().startReferral('R-ABCD-EFGH');
    expect(starts()).toEqual([
      {
        stateMachineArn: REFERRALS,
        name: 'R-ABCD-EFGH',
        input: JSON.stringify({ referralId: 'R-ABCD-EFGH' }),
      },
    ]);
  });

  it('resumes a referral as a new execution per attempt, starting at the phase that failed', async () => {
    await aws().resumeReferral('R-ABCD-EFGH', 'consent', 2);
    expect(starts()).toEqual([
      {
        stateMachineArn: REFERRALS,
        name: 'R-ABCD-EFGH-retry-2',
        input: JSON.stringify({ referralId: 'R-ABCD-EFGH', resumeAt: 'consent' }),
      },
    ]);
  });

  it('starts a group execution on the group state machine, named after the group', async () => {
    await aws().startGroup('g-7-9-a1b2c3');
    expect(starts()).toEqual([
      { stateMachineArn: GROUPS, name: 'g-7-9-a1b2c3', input: JSON.stringify({ groupId: 'g-7-9-a1b2c3' }) },
    ]);
  });

  it('uses names Step Functions accepts, for every referral id the form can give and the longest retry', async () => {
    for (let i = 0; i < 200; i++) await aws().resumeReferral(newReferenceCode(), 'screening', 999);
    await aws().startGroup('g-16-18-ffffff');
    expect(starts()).toHaveLength(201);
    for (const { name } of starts()) expect(isExecutionName(name!), name).toBe(true);
    expect(isExecutionName('R-ABCD EFGH')).toBe(false); // the check itself refuses a bad name
    expect(isExecutionName('g:7')).toBe(false);
  });

  it('refuses to start without the state machine ARN, before any request', async () => {
    const unconfigured = new StepFunctionsWorkflow(new SFNClient({ region: 'eu-north-1' }), undefined);
    await expect(unconfigured.startReferral('R-ABCD-EFGH')).rejects.toThrow(/Configuration error/);
    await expect(unconfigured.startGroup('g-7-9-a1b2c3')).rejects.toThrow(/Configuration error/);
    expect(starts()).toEqual([]);
  });

  it('treats ExecutionAlreadyExists as started (idempotent), and lets every other error through', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata }))
      .rejectsOnce(new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', $metadata }))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(aws().startReferral('R-ABCD-EFGH')).resolves.toBeUndefined();
    await expect(aws().startReferral('R-ABCD-EFGH')).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(aws().startReferral('R-ABCD-EFGH')).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('Step Functions adapter: task-token callbacks', () => {
  it('sends SendTaskSuccess with the token and the output as JSON', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    await aws().sendTaskSuccess('token-1', { decision: 'accept', by: 'coordinator' });
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input)).toEqual([
      { taskToken: 'token-1', output: JSON.stringify({ decision: 'accept', by: 'coordinator' }) },
    ]);
  });

  it('sends SendTaskFailure with the token, the error name and the cause', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    await aws().sendTaskFailure('token-2', 'Withdrawn', 'The custodian withdrew the referral');
    expect(sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input)).toEqual([
      { taskToken: 'token-2', error: 'Withdrawn', cause: 'The custodian withdrew the referral' },
    ]);
  });

  const over = {
    TaskTimedOut: () => new TaskTimedOut({ message: 'Task Timed Out', $metadata }),
    TaskDoesNotExist: () => new TaskDoesNotExist({ message: 'Task Does Not Exist', $metadata }),
    InvalidToken: () => new InvalidToken({ message: 'Invalid Token', $metadata }),
  };
  for (const [name, error] of Object.entries(over))
    it(`maps ${name} to StepNoLongerOpenError, on success and on failure`, async () => {
      sfn.on(SendTaskSuccessCommand).rejects(error());
      sfn.on(SendTaskFailureCommand).rejects(error());
      await expect(aws().sendTaskSuccess('t', {})).rejects.toBeInstanceOf(StepNoLongerOpenError);
      await expect(aws().sendTaskFailure('t', 'E', 'c')).rejects.toBeInstanceOf(StepNoLongerOpenError);
    });

  it('lets a throttle or an access error through as itself (retried, never taken for a closed step)', async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    for (const name of ['ThrottlingException', 'AccessDeniedException']) {
      const failure = aws().sendTaskSuccess('t', {});
      await expect(failure).rejects.toMatchObject({ name });
      await expect(failure).rejects.not.toBeInstanceOf(StepNoLongerOpenError);
    }
  });
});

/** The behaviour use cases depend on, for the AWS adapter and for the local engine. */
const trivial = { asl: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } } };
const engines: [
  string,
  () => { engine: WorkflowEngine; executions: () => number; close: () => Promise<void> },
][] = [
  [
    'Step Functions adapter',
    () => {
      sfn
        .on(StartExecutionCommand)
        .resolvesOnce({})
        .rejects(new ExecutionAlreadyExists({ message: 'x', $metadata }));
      sfn.on(SendTaskSuccessCommand).rejects(new TaskDoesNotExist({ message: 'x', $metadata }));
      sfn.on(SendTaskFailureCommand).rejects(new InvalidToken({ message: 'x', $metadata }));
      // Step Functions keeps one execution per name: both requests must carry the same one.
      return {
        engine: aws(),
        executions: () => new Set(starts().map((s) => s.name)).size,
        close: async () => {},
      };
    },
  ],
  [
    'local engine',
    () => {
      const engine = new LocalWorkflowEngine({
        definitions: { referral: trivial, group: trivial },
        handlers: new Map(),
        clock: new FastForwardClock(1),
      });
      return { engine, executions: () => engine.history.length, close: () => engine.stop() };
    },
  ],
];

describe.each(engines)('%s: what the use cases rely on', (_name, make) => {
  it('starting the same referral or group twice is no error and makes one execution', async () => {
    const { engine, executions, close } = make();
    try {
      await engine.startReferral('R-ABCD-EFGH');
      await expect(engine.startReferral('R-ABCD-EFGH')).resolves.toBeUndefined();
      expect(executions()).toBe(1);
    } finally {
      await close();
    }
  });

  it('answering a token that is not waiting is StepNoLongerOpenError', async () => {
    const { engine, close } = make();
    try {
      await expect(engine.sendTaskSuccess('no-such-token', {})).rejects.toBeInstanceOf(StepNoLongerOpenError);
      await expect(engine.sendTaskFailure('no-such-token', 'Referral.Withdrawn', 'c')).rejects.toBeInstanceOf(
        StepNoLongerOpenError,
      );
    } finally {
      await close();
    }
  });
});
