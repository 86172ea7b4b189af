/**
 * Each function's role grants exactly what its code can call. The calls are read from the code
 * (test/infra/sdk-calls.ts: the handler, everything it references, the ports it calls and the AWS adapter
 * behind each port, down to the SDK commands); the grants from the synthesized template. Nothing the code
 * reaches may be missing, and nothing may be granted beyond it except the actions listed in REASONS, each
 * with its reason. The catalog flags (sendsEmail, starts, callbacks, readsIdentityKey) must say the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionId, type FunctionSpec } from '../../infra/functions-catalog';
import { KEY_READERS, sdkCallsByEntry, type Reach } from './sdk-calls';
import {
  actionsOf,
  functionByRole,
  functionLogicalId,
  statementsByRole,
  synth,
  type Statement,
  type Synthesized,
} from './synth';

/** The IAM action each SDK command needs. A command missing here fails the test: add it with its action. */
const COMMAND_ACTIONS: Record<string, string[]> = {
  GetCommand: ['dynamodb:GetItem'],
  PutCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  QueryCommand: ['dynamodb:Query'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  TransactGetCommand: ['dynamodb:GetItem'],
  TransactWriteCommand: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
  SendEmailCommand: ['ses:SendEmail'],
  StartExecutionCommand: ['states:StartExecution'],
  SendTaskSuccessCommand: ['states:SendTaskSuccess'],
  SendTaskFailureCommand: ['states:SendTaskFailure'],
  GetSecretValueCommand: ['secretsmanager:GetSecretValue'],
};

const SECRET_KEY_USE = 'kms:Decrypt (via Secrets Manager)';
const TABLE_KEY_USE = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'].map(
  (a) => `${a} (via DynamoDB)`,
);

/** Granted without a call in the code, and why. `when`: only for functions whose code needs these. */
const REASONS: { actions: string[]; when: (needed: Set<string>) => boolean; reason: string }[] = [
  {
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    when: () => true,
    reason: 'Lambda writes the function log to its own log group (the role has no managed policy).',
  },
  {
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    when: () => true,
    reason: 'Active tracing: Lambda sends the trace segments with the function role.',
  },
  {
    actions: TABLE_KEY_USE,
    when: (needed) => [...needed].some((a) => a.startsWith('dynamodb:')),
    reason:
      "The table is encrypted with the CMK; DynamoDB uses the key on the caller's behalf (kms:ViaService).",
  },
  {
    actions: [SECRET_KEY_USE],
    when: (needed) => needed.has('secretsmanager:GetSecretValue'),
    reason: 'The identity-key secret is encrypted with the CMK; Secrets Manager decrypts it for the caller.',
  },
  {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:BatchGetItem',
    ],
    when: (needed) => [...needed].some((a) => a.startsWith('dynamodb:')),
    reason:
      'One item-level grant on the one table, shared by every function (grantTableItemAccess); per-function ' +
      'table grants would need the stack to grant per function. Every action in it is used by some function.',
  },
  {
    actions: ['states:SendTaskFailure'],
    when: (needed) => needed.has('states:SendTaskSuccess'),
    reason:
      'The callbacks flag grants SendTaskSuccess and SendTaskFailure together; a function that only resumes ' +
      'waits (close, groupAttendance, groupComplete) gets the failure call too.',
  },
];

const ids = Object.keys(FUNCTIONS) as FunctionId[];
const spec = (id: FunctionId): FunctionSpec => FUNCTIONS[id];

let s: Synthesized;
let reach: Map<string, Reach>;
beforeAll(() => {
  s = synth();
  reach = sdkCallsByEntry(ids.map((id) => spec(id).entry));
}, 180_000);
afterAll(() => s?.cleanup());

const reachOf = (id: FunctionId) => reach.get(spec(id).entry)!;

/** The IAM actions a function's code needs. */
function needed(id: FunctionId): Set<string> {
  const r = reachOf(id);
  const commands = new Set(r.commands);
  // The identity key reader the AWS adapters are given sends GetSecretValue (secrets.contract.test.ts).
  if (KEY_READERS.some((m) => r.portMethods.has(m))) commands.add('GetSecretValueCommand');
  const out = new Set<string>();
  for (const command of commands) {
    const actions = COMMAND_ACTIONS[command];
    if (!actions) throw new Error(`${id} can send ${command}: add its IAM action to COMMAND_ACTIONS`);
    for (const a of actions) out.add(a);
  }
  return out;
}

/** Key use is told apart by the service it goes through. */
function label(action: string, statement: Statement): string {
  if (!action.startsWith('kms:')) return action;
  const condition = JSON.stringify(statement.Condition ?? {});
  if (condition.includes('secretsmanager.')) return `${action} (via Secrets Manager)`;
  if (condition.includes('dynamodb.')) return `${action} (via DynamoDB)`;
  return action;
}

function grantedTo(id: FunctionId): Map<string, Statement[]> {
  const byRole = functionByRole(s.statelessTemplate);
  const out = new Map<string, Statement[]>();
  for (const { role, statement } of statementsByRole(s.statelessTemplate)) {
    if (byRole.get(role) !== functionLogicalId(id) || statement.Effect !== 'Allow') continue;
    for (const action of actionsOf(statement)) {
      const key = label(action, statement);
      out.set(key, [...(out.get(key) ?? []), statement]);
    }
  }
  return out;
}

describe('IAM: each role grants what its function calls', () => {
  it('reads calls from the code (the analysis finds what the handlers are known to send)', () => {
    expect(reachOf('referralForm').commands).toContain('StartExecutionCommand');
    expect(reachOf('referralForm').portMethods).toContain('IdentityHasher.hash');
    expect(reachOf('links').commands).toContain('SendTaskSuccessCommand');
    expect(reachOf('groupNotify').commands).toContain('SendEmailCommand');
    expect(reachOf('groupSchedule').commands).not.toContain('SendEmailCommand');
    expect(reachOf('consentPlan').commands).toContain('SendEmailCommand'); // the approval to the social worker
    // Through a dynamic import: closing a referral offers its freed seat and resumes that child's wait.
    expect(reachOf('close').commands).toContain('SendTaskSuccessCommand');
  });

  for (const id of ids)
    it(`${id}: nothing missing, nothing extra without a reason`, () => {
      const need = needed(id);
      const granted = grantedTo(id);
      const missing = [...need].filter((a) => !granted.has(a));
      expect(missing, `${id} calls these but its role does not allow them`).toEqual([]);
      const reasoned = new Set(REASONS.filter((r) => r.when(need)).flatMap((r) => r.actions));
      const extra = [...granted.keys()].filter((a) => !need.has(a) && !reasoned.has(a));
      expect(extra, `${id}'s role allows these without a call in its code or a reason`).toEqual([]);
    });

  it('every action of the shared table grant is used by some function', () => {
    const used = new Set(ids.flatMap((id) => [...needed(id)]));
    const shared = REASONS.find((r) => r.reason.startsWith('One item-level grant'))!.actions;
    for (const id of ids)
      for (const action of grantedTo(id).keys())
        if (action.startsWith('dynamodb:')) {
          expect(shared, `${id} ${action}`).toContain(action);
          expect(used.has(action), `${action} is granted but no function sends it`).toBe(true);
        }
  });

  it('StartExecution is allowed on exactly the state machines the code starts', () => {
    for (const id of ids) {
      const ports = reachOf(id).portMethods;
      const starts = [
        ...(ports.has('WorkflowEngine.startReferral') || ports.has('WorkflowEngine.resumeReferral')
          ? ['bris-referrals-']
          : []),
        ...(ports.has('WorkflowEngine.startGroup') || ports.has('WorkflowEngine.resumeGroup')
          ? ['bris-groups-']
          : []),
      ];
      const resources = JSON.stringify(
        grantedTo(id)
          .get('states:StartExecution')
          ?.map((x) => x.Resource) ?? [],
      );
      for (const machine of ['bris-referrals-', 'bris-groups-'])
        expect(resources.includes(`stateMachine:${machine}`), `${id} may start ${machine}`).toBe(
          starts.includes(machine),
        );
    }
  });

  it('the catalog flags say what the code does', () => {
    for (const id of ids) {
      const r = reachOf(id);
      const ports = r.portMethods;
      expect(spec(id).sendsEmail === true, `${id} sendsEmail`).toBe(r.commands.has('SendEmailCommand'));
      expect(spec(id).callbacks === true, `${id} callbacks`).toBe(
        r.commands.has('SendTaskSuccessCommand') || r.commands.has('SendTaskFailureCommand'),
      );
      expect(spec(id).readsIdentityKey === true, `${id} readsIdentityKey`).toBe(
        KEY_READERS.some((m) => ports.has(m)),
      );
      const starts = [
        ...(ports.has('WorkflowEngine.startReferral') || ports.has('WorkflowEngine.resumeReferral')
          ? ['referral']
          : []),
        ...(ports.has('WorkflowEngine.startGroup') || ports.has('WorkflowEngine.resumeGroup')
          ? ['group']
          : []),
      ];
      expect([...(spec(id).starts ?? [])].sort(), `${id} starts`).toEqual(starts.sort());
    }
  });
});
