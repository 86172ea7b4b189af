/**
 * Every Lambda task of both state machines, mapped to the function it invokes: the task waits longer
 * than the function may run (else a slow cold start ends in States.Timeout, which no Retry covers), and
 * every task retries the errors AWS documents as transient for Lambda invocations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, synth, type Resource, type Synthesized } from './synth';

type State = Record<string, unknown> & { Type: string };

/** The definition with every intrinsic replaced by a marker: `{"Fn::GetAtt":["XFunction","Arn"]}` → `<XFunction.Arn>`. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(sep);
  }
  if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Ref' in v) return `<Ref:${String(v.Ref)}>`;
  return `<${Object.keys(v)[0]}>`;
}

/** Every Task state, Map iterators included, with its machine's role. */
function tasksOf(machine: Resource): [string, State][] {
  const out: [string, State][] = [];
  const walk = (states: Record<string, State>) => {
    for (const [name, st] of Object.entries(states)) {
      // A continuation (StartExecution of the referral's next execution) invokes no function.
      if (st.Type === 'Task' && !String(st.Resource).endsWith(':states:startExecution')) out.push([name, st]);
      const inner = (st.ItemProcessor ?? st.Iterator) as { States: Record<string, State> } | undefined;
      if (inner) walk(inner.States);
      for (const branch of (st.Branches ?? []) as { States: Record<string, State> }[]) walk(branch.States);
    }
  };
  walk(
    (JSON.parse(flatten(machine.Properties?.DefinitionString)) as { States: Record<string, State> }).States,
  );
  return out;
}

/** The logical id of the function a Task invokes (payload-only tasks name it as Resource). */
function functionOf(task: State): string {
  const target = String(
    (task.Parameters as { FunctionName?: string } | undefined)?.FunctionName ?? task.Resource,
  );
  const id = /<([A-Za-z0-9]+)\.Arn>/.exec(target)?.[1];
  if (!id) throw new Error(`no function in ${target}`);
  return id;
}

let s: Synthesized;
let tasks: { machine: string; name: string; state: State; fn: string }[];
let functions: Record<string, Resource>;

beforeAll(() => {
  s = synth();
  functions = resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function');
  tasks = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::StepFunctions::StateMachine')).flatMap(
    ([machine, resource]) =>
      tasksOf(resource).map(([name, state]) => ({ machine, name, state, fn: functionOf(state) })),
  );
}, 120_000);
afterAll(() => s?.cleanup());

describe('Lambda tasks of the state machines', () => {
  it('each invoke a function of the stack', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(15);
    for (const t of tasks) expect(functions[t.fn], `${t.machine}/${t.name} → ${t.fn}`).toBeDefined();
  });

  it('wait longer than their function may run, with at least 20 s of margin for a cold start', () => {
    for (const t of tasks) {
      const functionTimeout = Number(functions[t.fn]!.Properties?.Timeout ?? 3);
      if (t.state.TimeoutSecondsPath !== undefined) {
        // The consent wait's timeout is its reminder timer (computed per custodian): a callback task, whose
        // Lambda only mails the link; the timer firing is the point of that timeout, not a failure.
        expect(String(t.state.Resource), t.name).toMatch(/waitForTaskToken$/);
        continue;
      }
      const taskTimeout = Number(t.state.TimeoutSeconds);
      expect(
        taskTimeout,
        `${t.machine}/${t.name}: task ${taskTimeout} s vs ${t.fn} ${functionTimeout} s`,
      ).toBeGreaterThanOrEqual(functionTimeout + 20);
    }
  });

  it('retry Lambda.ClientExecutionTimeoutException, throttled invocations and Referral.Transient', () => {
    for (const t of tasks) {
      const retried = ((t.state.Retry ?? []) as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
      if (retried.includes('States.ALL')) continue;
      for (const error of [
        'Lambda.ClientExecutionTimeoutException',
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
        'Referral.Transient',
      ])
        expect(retried, `${t.machine}/${t.name} does not retry ${error}`).toContain(error);
    }
  });
});
