/**
 * The deploy provisions the partnership: the synthesized template writes the file's partnership into the
 * table (a PutItem custom resource with the validated, marshalled item), the functions read that id, and
 * a broken file stops the synth naming the field.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { PARTNERSHIP_FILE, readPartnershipFile } from '../../infra/partnership-file';
import { buildApp } from '../../infra/build-app';
import { resourcesOf, synth, type Synthesized } from './synth';

let s: Synthesized;
const dir = mkdtempSync(join(tmpdir(), 'bris-partnership-infra-'));
beforeAll(() => {
  s = synth();
}, 120_000);
afterAll(() => {
  s?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** The JSON the provider receives, with the table's import put back as a placeholder. */
function createCall(): { service: string; action: string; parameters: { TableName: string; Item: unknown } } {
  const [resource] = Object.values(resourcesOf(s.statelessTemplate, 'Custom::Partnership'));
  const create = resource!.Properties!.Create as { 'Fn::Join': [string, unknown[]] };
  const text = create['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TABLE')).join('');
  return JSON.parse(text);
}

describe('partnership provisioning', () => {
  it('writes the file as the partnership item of the referral table, on create and on update', () => {
    const resources = resourcesOf(s.statelessTemplate, 'Custom::Partnership');
    expect(Object.keys(resources)).toHaveLength(1);
    const [resource] = Object.values(resources);
    expect(resource!.Properties!.Update).toEqual(resource!.Properties!.Create);
    expect(resource!.Properties!.Delete).toBeUndefined();
    const call = createCall();
    expect(call).toMatchObject({
      service: 'DynamoDB',
      action: 'putItem',
      parameters: { TableName: 'TABLE' },
    });
    expect(unmarshall(call.parameters.Item as never)).toEqual({
      PK: 'PARTNERSHIP#stockholm-bris',
      SK: 'PARTNERSHIP',
      entity: 'partnership',
      ...readPartnershipFile(PARTNERSHIP_FILE),
    });
  });

  it('may PutItem on the table only, with the key only through DynamoDB', () => {
    const [policy] = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::IAM::Policy')).filter(([id]) =>
      id.startsWith('PartnershipCustomResourcePolicy'),
    );
    const statements = (policy![1].Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } })
      .PolicyDocument.Statement;
    expect(statements.map((st) => st.Action)).toEqual([
      'dynamodb:PutItem',
      ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'],
    ]);
    expect(JSON.stringify(statements[1]!.Condition)).toContain('dynamodb.');
  });

  it("gives every function the file's partnership id", () => {
    for (const fn of Object.values(resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function'))) {
      const vars = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables;
      if (vars && 'TABLE_NAME' in vars) expect(vars.PARTNERSHIP_ID).toBe('stockholm-bris');
    }
  });

  it('a broken partnership file stops the synth, naming the file and the field', () => {
    const p = JSON.parse(readFileSync(PARTNERSHIP_FILE, 'utf8'));
    p.groups.weeklySlots[0].weekday = 9;
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(p));
    expect(() =>
      buildApp({ outdir: join(dir, 'out'), bundling: false, context: { partnershipFile: file } }),
    ).toThrow(/broken\.json[\s\S]*groups\.weeklySlots\.0\.weekday/);
  });
});
