/**
 * Builds the CDK app: the stateful stack (KMS key, table) and the stateless stack (functions,
 * workflow, API, SES, secret), checked by cdk-nag's AWS Solutions pack.
 *
 * cdk-nag 3 is a CDK policy-validation plugin (`Validations.of(app).addPlugins(...)`), no longer an
 * Aspect: unacknowledged error-level findings make `app.synth()` throw (and `cdk synth` exit non-zero).
 * Findings are acknowledged with `Validations.of(construct).acknowledge({ id, reason })`.
 *
 * `bundling: false` skips esbuild (context `aws:cdk:bundling-stacks: []`): the local runtime and the
 * infra tests only need the templates, not the bundles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from './constructs/referral-function';
import { StatefulStack } from './stacks/stateful-stack';
import { readStage, StatelessStack } from './stacks/stateless-stack';

/**
 * Stack names carry the stage (CDK context `stage`, default `dev`), like every physical name in the
 * stacks, so a second stage can be deployed to the same account and region.
 */
export function stackNames(stage: string): { stateful: string; stateless: string } {
  return { stateful: `BrisReferrals-${stage}-Stateful`, stateless: `BrisReferrals-${stage}-Stateless` };
}

export interface BuildAppOptions {
  outdir?: string;
  context?: Record<string, unknown>;
  bundling?: boolean;
}

export function buildApp(options: BuildAppOptions = {}): {
  app: App;
  stateful: StatefulStack;
  stateless: StatelessStack;
} {
  // In-process synths (tests, local runtime) do not go through the CLI, which is what reads cdk.json:
  // start from its context. Under the CLI, its context (cdk.json, cdk.context.json, -c) overrides these.
  const context: Record<string, unknown> = {
    // Strong (export/import) references on purpose: the stateful stack must not be deletable while the
    // stateless stack uses its key and table. Stated explicitly (CDK warns when it is left to the default).
    '@aws-cdk/core:defaultCrossStackReferences': 'strong',
    ...cdkJsonContext(),
    ...options.context,
  };
  const app = new App({
    outdir: options.outdir,
    context,
    // After the CLI context: the CLI always sets the bundling stacks, so only this override wins.
    postCliContext: options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : undefined,
  });

  // Environment-agnostic unless the CLI provides an account/region: synth needs no credentials.
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const env = account || region ? { account, region } : undefined;

  const names = stackNames(readStage(app));
  const stateful = new StatefulStack(app, names.stateful, {
    env,
    description: 'Bris referrals: KMS key and referral table (retained)',
  });
  const stateless = new StatelessStack(app, names.stateless, {
    env,
    description: 'Bris referrals: functions, workflow, HTTP API, email',
    table: stateful.table,
    key: stateful.key,
  });
  stateless.addStackDependency(stateful);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stateful, stateless };
}

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}
