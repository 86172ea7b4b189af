/**
 * Shared by the infra tests: synthesizes the app once per test file, without esbuild bundling, into a
 * temporary directory, and offers small helpers over the synthesized templates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/build-app';

export type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
} & Record<string, unknown>;

export interface Synthesized extends ReturnType<typeof buildApp> {
  outdir: string;
  statefulTemplate: Template;
  statelessTemplate: Template;
  cleanup: () => void;
}

export function synth(context?: Record<string, unknown>): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'bris-cdk-'));
  const built = buildApp({ outdir, bundling: false, context });
  // Throws if cdk-nag reports an unacknowledged error (cdk-nag 3 is a validation plugin).
  built.app.synth();
  return {
    ...built,
    outdir,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export function resourcesOf(template: Template, type?: string): Record<string, Resource> {
  const all = template.toJSON().Resources as Record<string, Resource>;
  return Object.fromEntries(Object.entries(all).filter(([, r]) => !type || r.Type === type));
}

/** `referralForm` → `ReferralFormFunction` (the logical id the stack gives each function). */
export const functionLogicalId = (id: string) => `${id.charAt(0).toUpperCase()}${id.slice(1)}Function`;

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every IAM policy statement of a template, with the logical ids of the roles it is attached to. */
export function statementsByRole(template: Template): { role: string; statement: Statement }[] {
  const out: { role: string; statement: Statement }[] = [];
  for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
    const props = policy.Properties as {
      Roles: { Ref: string }[];
      PolicyDocument: { Statement: Statement[] };
    };
    for (const role of props.Roles)
      for (const statement of props.PolicyDocument.Statement) out.push({ role: role.Ref, statement });
  }
  return out;
}

export const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Logical id of the role → logical id of the Lambda function that runs with it. */
export function functionByRole(template: Template): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, fn] of Object.entries(resourcesOf(template, 'AWS::Lambda::Function'))) {
    const role = (fn.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    out.set(role, id);
  }
  return out;
}

/** Function logical ids whose role has a statement allowing `action`. */
export function functionsAllowed(template: Template, action: string): string[] {
  const byRole = functionByRole(template);
  const ids = statementsByRole(template)
    .filter(({ statement }) => statement.Effect === 'Allow' && actionsOf(statement).includes(action))
    .map(({ role }) => byRole.get(role) ?? `role:${role}`);
  return [...new Set(ids)].sort();
}
