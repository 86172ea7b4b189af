/**
 * Both state machines pass asl-validator, read exactly as the local runtime reads them: the synthesized
 * templates (infra/local/synth.ts), the DefinitionString with its intrinsics resolved by
 * `stateMachines()` (infra/local/template.ts). A definition AWS would refuse at deploy fails here first.
 */
import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizedTemplates } from '../../infra/local/synth';
import { stateMachines, type ReferralWorkflowDefinition } from '../../infra/local/template';

type Asl = ReferralWorkflowDefinition['asl'];
let machines: Record<string, ReferralWorkflowDefinition>;

beforeAll(async () => {
  const { templates } = await synthesizedTemplates();
  machines = stateMachines(templates);
}, 120_000);

/** The validator writes defaults into what it is given; it gets a copy. */
const validate = (asl: unknown) => aslValidator(structuredClone(asl), { checkArn: true, checkPaths: true });

/** A copy of a machine's definition, changed by `mutate`. */
function mutated(role: string, mutate: (asl: Asl) => void): Asl {
  const copy = structuredClone(machines[role]!.asl);
  mutate(copy);
  return copy;
}

/** The first top-level state of the given type. */
function firstOfType(asl: Asl, type: string): [string, Record<string, unknown>] {
  const found = Object.entries(asl.States).find(([, s]) => s.Type === type);
  if (!found) throw new Error(`no ${type} state`);
  return found;
}

describe('asl-validator', () => {
  it('finds both state machines in the synthesized templates', () => {
    expect(Object.keys(machines).sort()).toEqual(['group', 'referral']);
  });

  for (const role of ['referral', 'group'])
    it(`accepts the ${role} state machine`, () => {
      const asl = machines[role]!.asl;
      expect(Object.keys(asl.States).length).toBeGreaterThan(3);
      const result = validate(asl);
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    });

  describe('rejects a broken copy (the check can fail)', () => {
    it('a transition to a state that does not exist', () => {
      const asl = mutated('referral', (a) => {
        const [, task] = Object.entries(a.States).find(([, s]) => typeof s.Next === 'string')!;
        task.Next = 'NoSuchState';
      });
      const result = validate(asl);
      expect(result.isValid).toBe(false);
      expect(result.errorsText('\n')).toContain('NoSuchState');
    });

    it('a StartAt that names no state', () => {
      const result = validate(mutated('group', (a) => (a.StartAt = 'Nowhere')));
      expect(result.isValid).toBe(false);
    });

    it('a Task without a Resource', () => {
      const asl = mutated('referral', (a) => delete firstOfType(a, 'Task')[1].Resource);
      expect(validate(asl).isValid).toBe(false);
    });

    it('a Task with both TimeoutSeconds and TimeoutSecondsPath', () => {
      const asl = mutated('referral', (a) => {
        const [, task] = firstOfType(a, 'Task');
        task.TimeoutSeconds = 60;
        task.TimeoutSecondsPath = '$.timeout';
      });
      expect(validate(asl).isValid).toBe(false);
    });

    it('a Choice without choices', () => {
      const asl = mutated('referral', (a) => (firstOfType(a, 'Choice')[1].Choices = []));
      expect(validate(asl).isValid).toBe(false);
    });

    it('a malformed path', () => {
      const asl = mutated('group', (a) => (firstOfType(a, 'Task')[1].ResultPath = 'not a path'));
      expect(validate(asl).isValid).toBe(false);
    });

    it('a Task whose Resource is not an ARN', () => {
      const asl = mutated('group', (a) => (firstOfType(a, 'Task')[1].Resource = 'GroupNotifyFunction'));
      expect(validate(asl).isValid).toBe(false);
    });
  });
});
