/**
 * A Lambda function with the project's defaults (the "construct that holds function defaults" pattern
 * from Powertools for AWS Lambda): Node.js 22 on arm64, ESM bundle built by the local esbuild (never
 * Docker), source maps (deployed, not loaded: see SOURCE_MAPS_AT_RUNTIME), X-Ray tracing, its own KMS-encrypted log group with a bounded retention, and
 * its own role with no managed policies (log writing is granted on its log group only).
 *
 * Every function carries CloudFormation Metadata `bris:handler: <entry relative to the repo root>`,
 * which the local runtime reads back from the template to run the same handler files.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, Charset } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { HANDLER_METADATA_KEY } from '../functions-catalog';

/** Repository root, from this file's own location (infra/constructs/…), independent of the working directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Function log retention: one year. A referral can legitimately stay open about eight months (the
 * human-step timeouts add up to 245 days, then follow-up), so an incident on a referral must still be
 * traceable back to its intake; a year covers that with margin and no more. Logs carry ids and codes
 * only (the logger masks identity numbers and email addresses as a second line of defence); the audit
 * trail itself lives in the table.
 */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_YEAR;

/**
 * Modules left out of every bundle. None: the AWS SDK is bundled, at the version in package-lock.json.
 * The nodejs22.x runtime ships an SDK v3 of its own choosing and updates it without notice; the code relies
 * on recent features (SESv2 `Attachments` in simple messages, for the calendar file), and is tested against
 * the locked version, so that is the one that runs. Measured with `BENCH_ONLY=bundles npm run bench`
 * (and `BENCH_SDK=external` for the other way): bundling makes each file about 1 MB instead of about
 * 0.55 MB (median); the init-time difference was within the noise of a shared 2-core machine, so the
 * decision rests on running the tested SDK version. The figures are in the closing note of issue 11.
 */
export const EXTERNAL_MODULES: string[] = [];

/**
 * Source maps are built and deployed next to each bundle (`index.mjs.map`), but Node does not load them
 * (no `NODE_OPTIONS=--enable-source-maps`): loading a 3–4 MB map costs every cold start more than a
 * stack trace is worth, in a system whose logs carry codes, not stacks. Measured on the 2-core dev
 * machine (21 fresh processes each, median CPU time of import + building adapters and clients):
 *   erasureSweep (586 KB, map 3.0 MB): 142 ms with the flag, 108 ms without;
 *   groupSchedule (581 KB, map 2.9 MB): 154 ms, 120 ms;   links (857 KB, map 4.0 MB): 188 ms, 146 ms;
 * their SDK-only baselines 87/70, 92/78 and 112/92 ms. So +33 to +42 ms (about 30 %) per cold start.
 * To read a minified stack during an incident, set NODE_OPTIONS=--enable-source-maps on the function
 * (a configuration change: the map is already there), or map it locally from the asset in cdk.out.
 * The bundle benchmark starts its cold starts the same way.
 */
export const SOURCE_MAPS_AT_RUNTIME = false;

export interface ReferralFunctionProps {
  /** Handler file relative to the repository root, e.g. `functions/intake/handler.ts`. */
  entry: string;
  description?: string;
  /** Key that encrypts the function's log group (its key policy must allow CloudWatch Logs). */
  logKey: IKey;
  environment?: Record<string, string>;
  /** Default 30 s; HTTP handlers use less. */
  timeout?: Duration;
  memorySize?: number;
}

export class ReferralFunction extends NodejsFunction {
  /** The function's own log group (`logGroup` is taken by the base class's accessor). */
  readonly functionLogGroup: LogGroup;
  /** The handler entry as given (relative to the repository root). */
  readonly entryPath: string;

  constructor(scope: Construct, id: string, props: ReferralFunctionProps) {
    // `super` must come first, so the log group and role are created under the scope, named after the function.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: FUNCTION_LOG_RETENTION,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Own role without AWSLambdaBasicExecutionRole: writing logs is granted on this log group only.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );

    super(scope, id, {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment: {
        ...(SOURCE_MAPS_AT_RUNTIME ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        // ASCII, Swedish text as \u escapes: 1-3 KB more per bundle than UTF-8, but one character outside
        // ASCII makes V8 decode and hold the whole file (SDK included) as two-byte text, ~8M instructions and
        // ~3 % of a cold start (measured on links; test/infra/bundle-size.test.ts keeps every bundle ASCII).
        charset: Charset.ASCII,
        sourceMap: true,
        target: 'node22',
        mainFields: ['module', 'main'],
        // ESM bundles of CommonJS dependencies still call `require`.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // The AWS SDK is bundled (see EXTERNAL_MODULES): [] overrides CDK's default of leaving @aws-sdk/* out.
        externalModules: EXTERNAL_MODULES,
        forceDockerBundling: false,
      },
    });
    this.functionLogGroup = logGroup;
    this.entryPath = props.entry;
    (this.node.defaultChild as CfnFunction).addMetadata(HANDLER_METADATA_KEY, props.entry);

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords (added by tracing: ACTIVE) use Resource "*": ' +
        'X-Ray does not support resource-level permissions for them.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: it is the LTS the project develops, tests and bundles for (node@22 in ' +
        'devDependencies, esbuild target node22); a newer runtime is a deliberate, tested upgrade.',
    });
  }
}
