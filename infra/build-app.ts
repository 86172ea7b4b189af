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
import { join, resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from './constructs/referral-function';
import { checkDeploySettings, placeholderStaff, rawDeploySettings } from './deploy-settings';
import { readPartnershipFile } from './partnership-file';
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
    // No AWS::CDK::Metadata resource: its condition lists every region where that resource exists, so a
    // region-agnostic template would still carry region names (and the usage report is not needed).
    analyticsReporting: false,
    // After the CLI context: the CLI always sets the bundling stacks, so only this override wins.
    postCliContext: options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : undefined,
  });

  // A deploy (`-c deploy=true`, what `npm run deploy` passes): every setting checked before any construct
  // exists; the checked values become the context the stacks read.
  const deploy = ['true', true].includes(app.node.tryGetContext('deploy') as string | boolean);
  if (deploy) {
    const raw = rawDeploySettings((k) => app.node.tryGetContext(k), REPO_ROOT);
    const settings = checkDeploySettings(raw.values, raw.configFile ?? 'CDK context');
    for (const [k, v] of Object.entries(settings)) if (v !== undefined) app.node.setContext(k, v);
    const file = resolve(REPO_ROOT, settings.partnershipFile);
    const placeholders = placeholderStaff(readPartnershipFile(file));
    if (placeholders.length)
      throw new Error(
        `The partnership file ${settings.partnershipFile} still has example addresses; nobody could sign in:\n  ` +
          `${placeholders.join('\n  ')}\nPut the real coordinator and staff in the file (or a copy, with -c partnershipFile=…).`,
      );
  }
  const env = targetEnvironment(app);

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

/**
 * Environment-agnostic (every account and region a CloudFormation pseudo parameter, resolved at deploy
 * time) unless the context names them: `-c account=123456789012 -c region=eu-north-1`. `CDK_DEFAULT_REGION`
 * and `CDK_DEFAULT_ACCOUNT` are deliberately not read: the CDK CLI sets `CDK_DEFAULT_REGION` to `us-east-1`
 * when it finds no region in the environment or the profile, so under the CLI they cannot tell a choice
 * from a fallback, and an offline synth in CI would bake `us-east-1` into ARNs, the key policy and the
 * environment variables. An agnostic template deploys to the account and region of the credentials the
 * CLI runs with (`AWS_REGION`, `AWS_PROFILE`).
 */
export function targetEnvironment(scope: App): { account?: string; region?: string } | undefined {
  const read = (key: string) => {
    const v = scope.node.tryGetContext(key) as unknown;
    return v === undefined || v === null || v === '' ? undefined : String(v);
  };
  const account = read('account');
  const region = read('region');
  if (account !== undefined && !/^\d{12}$/.test(account))
    throw new Error(`CDK context account must be a 12-digit AWS account id, got "${account}"`);
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new Error(`CDK context region must be an AWS region name such as eu-north-1, got "${region}"`);
  return account || region ? { account, region } : undefined;
}

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}
