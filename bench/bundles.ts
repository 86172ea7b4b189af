/**
 * Benchmark 3: each function's bundle size and cold-start init time, next to a bundle that imports only
 * the AWS SDK clients that function uses.
 *
 * The bundles are built with the esbuild JS API and the very options `ReferralFunction`
 * (infra/constructs/referral-function.ts) hands to `NodejsFunction`, so the sizes are those of what CDK
 * deploys. The AWS SDK is bundled there (`EXTERNAL_MODULES` is empty: the locked SDK version runs, not the
 * runtime's), so a bundle holds the SDK, the project's own code and its other dependencies. With
 * `BENCH_SDK=external` the SDK is left out and loaded from node_modules at import, as Lambda would load it
 * from the runtime: the other way, measured for the decision.
 *
 * Init time: a fresh Node process (`process.execPath`, Node 22 under npm/npx) times `await import()` of
 * the bundle plus the construction of the function's adapters and AWS clients, and prints it; the median
 * of N runs.
 *
 * The goal (issue 15): every bundle ≤ 300 KB without the AWS SDK (the SDK clients a function uses are
 * 330–430 KB by themselves, so the goal is on what the project adds; the deployed size, SDK included, is
 * the `bundle size` row as before) and each function's init ≤ 1.3× its SDK-only baseline. Rows over
 * either goal say so in their note; test/infra/bundle-size.test.ts holds the sizes.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { EXTERNAL_MODULES, SOURCE_MAPS_AT_RUNTIME } from '../infra/constructs/referral-function';
import { FUNCTIONS, type FunctionId, type FunctionSpec } from '../infra/functions-catalog';
import type { Benchmark, BenchRow } from './types';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every bundle, without the AWS SDK, at most this (issue 15). */
export const BUNDLE_GOAL_BYTES = 300 * 1024;
/** Every function's init at most this many times its SDK-only baseline's (issue 15). */
export const INIT_RATIO_GOAL = 1.3;

/**
 * The construct's external modules (`EXTERNAL_MODULES`: none, the SDK is bundled), or with
 * `BENCH_SDK=external` the other way (the SDK left to the runtime), to measure the difference.
 */
export function benchExternalModules(env: Record<string, string | undefined> = process.env): string[] {
  return env.BENCH_SDK === 'external' ? ['@aws-sdk/*'] : [...EXTERNAL_MODULES];
}

/** How the bench's bundles treat the SDK, for the table's notes. */
const sdkNote = () =>
  benchExternalModules().includes('@aws-sdk/*') ? '@aws-sdk external' : '@aws-sdk bundled';

/**
 * The `bundling` options of `ReferralFunction`, as the CDK turns them into esbuild arguments
 * (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js `buildEsbuildArgs`): `--bundle --platform=node
 * --target=node22 --format=esm --outfile=index.mjs --minify --charset=ascii --sourcemap --banner:js=…
 * --main-fields=module,main` (plus `--external:` for each of EXTERNAL_MODULES), run from the project root. Keep in step with the construct.
 */
export const LAMBDA_BUNDLING = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  charset: 'ascii',
  sourcemap: true,
  external: benchExternalModules(),
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  absWorkingDir: REPO_ROOT,
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** Plausible values for every variable `parseConfig` (functions/shared/config.ts) needs; nothing is called. */
const FAKE_LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'eu-north-1',
  AWS_DEFAULT_REGION: 'eu-north-1',
  AWS_ACCESS_KEY_ID: 'AKIABENCHFAKE0000000',
  AWS_SECRET_ACCESS_KEY: 'bench-fake-secret-never-used',
  TABLE_NAME: 'bris-referrals-bench',
  PUBLIC_BASE_URL: 'https://stodgrupper.example.se',
  SENDER_EMAIL: 'noreply@stodgrupper.example.se',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-north-1:123456789012:stateMachine:Referral',
  GROUP_STATE_MACHINE_ARN: 'arn:aws:states:eu-north-1:123456789012:stateMachine:Group',
  IDENTITY_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:identity-key-AbCdEf',
};

export interface BuiltBundle {
  /** The `.mjs` file, as deployed. */
  file: string;
  bytes: number;
  /** The source map next to it (deployed too, but not loaded unless an error is mapped). */
  mapBytes: number;
}

export interface FunctionBundles {
  key: FunctionId;
  /** The function's bundle, exactly as CDK builds it. */
  fn: BuiltBundle;
  /** The size of the same bundle with the AWS SDK left out (`@aws-sdk/*` external): what the goal is on. */
  bytesWithoutSdk: number;
  /**
   * The same bundle plus one export, `buildAdapters`, so the timing run can build the function's adapters
   * and AWS clients: the real code builds the adapters on the first invocation and each client on its
   * first use (functions/adapters/lazy-client.ts), not at import, and invoking a handler would reach
   * DynamoDB. It builds the AWS adapters the catalog names, which are the ones the handler gives (the
   * bundle-size test checks that). Sizes come from `fn`, never from this.
   */
  probe: string;
  /** Only the SDK clients the function uses, constructed at top level, same build options. */
  baseline: BuiltBundle;
  /** The SDK packages the baseline imports. */
  clients: string[];
}

/**
 * The SDK clients a function needs, from its catalog flags (the adapters in functions/adapters/ show
 * which client serves which flag): every function reads and writes the table; e-mail goes through
 * SESv2; starting executions and task callbacks through Step Functions; the identity key through
 * Secrets Manager. The function's own bundle holds the same clients: its handler gives those adapters
 * (functions/adapters/aws-dependencies.ts, `AwsAdapters`).
 */
export function sdkClientsOf(spec: FunctionSpec): { module: string; code: string }[] {
  const clients = [
    {
      module: '@aws-sdk/client-dynamodb',
      code: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    },
    {
      module: '@aws-sdk/lib-dynamodb',
      code:
        "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\n" +
        'export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });',
    },
  ];
  if (spec.sendsEmail)
    clients.push({
      module: '@aws-sdk/client-sesv2',
      code: "import { SESv2Client } from '@aws-sdk/client-sesv2';\nexport const ses = new SESv2Client({});",
    });
  if ((spec.starts?.length ?? 0) > 0 || spec.callbacks)
    clients.push({
      module: '@aws-sdk/client-sfn',
      code: "import { SFNClient } from '@aws-sdk/client-sfn';\nexport const sfn = new SFNClient({});",
    });
  if (spec.readsIdentityKey)
    clients.push({
      module: '@aws-sdk/client-secrets-manager',
      code:
        "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';\n" +
        'export const secrets = new SecretsManagerClient({});',
    });
  return clients;
}

async function built(file: string): Promise<BuiltBundle> {
  const [js, map] = await Promise.all([stat(file), stat(`${file}.map`)]);
  return { file, bytes: js.size, mapBytes: map.size };
}

/**
 * A work directory for bundles. Its `node_modules/@aws-sdk` points at the project's copy, so the external
 * SDK imports of a bundle resolve the way they do on Lambda (there from the runtime's own node_modules);
 * the SDK's own dependencies (@smithy/…) resolve from the real path, next to it.
 */
export async function bundleWorkDir(): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bris-bundles-'));
  await mkdir(join(dir, 'node_modules'));
  await symlink(join(REPO_ROOT, 'node_modules', '@aws-sdk'), join(dir, 'node_modules', '@aws-sdk'), 'dir');
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** The AWS adapters of a function by its catalog entry, as its handler gives them (`AwsAdapters`). */
export function awsAdaptersOf(spec: FunctionSpec): { name: string; module: string; key: string }[] {
  const adapters: { name: string; module: string; key: string }[] = [];
  if (spec.sendsEmail)
    adapters.push({ name: 'sesEmail', module: 'functions/adapters/email-ses.ts', key: 'email' });
  if ((spec.starts?.length ?? 0) > 0 || spec.callbacks)
    adapters.push({
      name: 'stepFunctionsWorkflow',
      module: 'functions/adapters/workflow-sfn.ts',
      key: 'workflow',
    });
  if (spec.readsIdentityKey)
    adapters.push({
      name: 'secretsManagerIdentityKey',
      module: 'functions/adapters/identity-key-secret.ts',
      key: 'identityKey',
    });
  return adapters;
}

/** The probe's extra export: build the adapters (as a first invocation does) and every client they declare. */
function probeSource(entry: string, spec: FunctionSpec): string {
  const file = (path: string) => JSON.stringify(join(REPO_ROOT, path));
  const adapters = awsAdaptersOf(spec);
  return [
    `export * from ${JSON.stringify(entry)};`,
    `import { buildAwsDependencies } from ${file('functions/adapters/aws-dependencies.ts')};`,
    `import { buildDeclaredClients } from ${file('functions/adapters/lazy-client.ts')};`,
    `import { parseConfig } from ${file('functions/shared/config.ts')};`,
    ...adapters.map((a) => `import { ${a.name} } from ${file(a.module)};`),
    'export function buildAdapters() {',
    `  buildAwsDependencies(parseConfig(process.env), { ${adapters.map((a) => `${a.key}: ${a.name}`).join(', ')} });`,
    '  buildDeclaredClients();',
    '}',
  ].join('\n');
}

/** Builds a function's bundle, its timing probe and its SDK-only baseline into `workDir`. */
export async function bundleFunction(key: FunctionId, workDir: string): Promise<FunctionBundles> {
  const spec: FunctionSpec = FUNCTIONS[key];
  const entry = join(REPO_ROOT, spec.entry);
  const out = (variant: string) => join(workDir, `${key}${variant}`, 'index.mjs');
  const clients = sdkClientsOf(spec);
  const [, withoutSdk] = await Promise.all([
    build({ ...LAMBDA_BUNDLING, entryPoints: [entry], outfile: out('') }),
    build({
      ...LAMBDA_BUNDLING,
      external: ['@aws-sdk/*'],
      entryPoints: [entry],
      outfile: out('-without-sdk'),
      write: false,
    }),
    build({
      ...LAMBDA_BUNDLING,
      stdin: {
        contents: probeSource(entry, spec),
        resolveDir: REPO_ROOT,
        sourcefile: `${key}-probe.ts`,
        loader: 'ts',
      },
      outfile: out('-probe'),
    }),
    build({
      ...LAMBDA_BUNDLING,
      stdin: {
        contents: `${clients.map((c) => c.code).join('\n')}\nexport const handler = async () => ({});\n`,
        resolveDir: REPO_ROOT,
        sourcefile: `${key}-sdk-only.js`,
        loader: 'js',
      },
      outfile: out('-baseline'),
    }),
  ]);
  const withoutSdkJs = withoutSdk.outputFiles?.find((f) => f.path.endsWith('.mjs'));
  if (!withoutSdkJs) throw new Error(`no bundle without the SDK for ${key}`);
  return {
    key,
    fn: await built(out('')),
    bytesWithoutSdk: withoutSdkJs.contents.byteLength,
    probe: out('-probe'),
    baseline: await built(out('-baseline')),
    clients: clients.map((c) => c.module),
  };
}

/**
 * Runs in the fresh process. `performance.now()` counts from the process start, so Node's own boot is
 * left out, as Lambda's Init Duration leaves out the runtime's. `buildAdapters` exists in probes only.
 */
const INIT_SCRIPT = `
const c0 = process.cpuUsage();
const t0 = performance.now();
const m = await import(process.argv[1]);
const t1 = performance.now();
if (typeof m.buildAdapters === 'function') m.buildAdapters();
const t2 = performance.now();
const cpu = process.cpuUsage(c0);
if (typeof m.handler !== 'function') throw new Error('the bundle exports no handler');
console.log(JSON.stringify({ importMs: t1 - t0, buildMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000 }));
`;

export interface InitTime {
  importMs: number;
  buildMs: number;
  /**
   * The process's CPU time over the same span (all threads). On a shared machine the wall time swings
   * with the neighbours' load; the CPU time barely does, so the goal's ratio is judged on it.
   */
  cpuMs: number;
}

/**
 * One cold start: a new process imports the bundle, loading its source map as the functions do
 * (`SOURCE_MAPS_AT_RUNTIME`: not), or as `sourceMaps` says, to measure the other way.
 */
export function measureInit(
  bundle: string,
  { sourceMaps = SOURCE_MAPS_AT_RUNTIME }: { sourceMaps?: boolean } = {},
): Promise<InitTime> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(sourceMaps ? ['--enable-source-maps'] : []),
        '--input-type=module',
        '-e',
        INIT_SCRIPT,
        pathToFileURL(bundle).href,
      ],
      {
        // A clean environment: nothing of the parent's loaders (tsx, vitest) leaks into the cold start.
        env: { PATH: process.env.PATH ?? '', AWS_LAMBDA_FUNCTION_NAME: 'bench', ...FAKE_LAMBDA_ENV },
        cwd: dirname(bundle),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        return reject(new Error(`import of ${bundle} failed (${code}): ${stderr.slice(0, 2000)}`));
      try {
        resolvePromise(JSON.parse(stdout.trim().split('\n').pop() ?? '') as InitTime);
      } catch {
        reject(new Error(`no timing from ${bundle}: ${stdout} ${stderr}`));
      }
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const ms = (value: number) => Math.round(value * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export const bundles: Benchmark = async ({ quick, log }) => {
  // Nine in a full run: on this shared 2-core machine a median of five still moved a function across the
  // goal between runs of unchanged code (groupComplete 1.37× in one run, 1.20× over fifteen pairs).
  const runs = quick ? 3 : 9;
  const { dir, dispose } = await bundleWorkDir();
  const rows: BenchRow[] = [];
  const over: FunctionId[] = [];
  try {
    for (const key of Object.keys(FUNCTIONS) as FunctionId[]) {
      const b = await bundleFunction(key, dir);
      // Alternate the two so that a slow moment of the machine falls on both alike, and swap which goes
      // first in every other pair, so that neither always follows the other.
      const fnTimes: InitTime[] = [];
      const baseTimes: InitTime[] = [];
      for (let i = 0; i < runs; i++) {
        if (i % 2) baseTimes.push(await measureInit(b.baseline.file));
        fnTimes.push(await measureInit(b.probe));
        if (!(i % 2)) baseTimes.push(await measureInit(b.baseline.file));
      }
      // The same judged pair by pair: a slow moment that falls on one pair moves one ratio, not both medians.
      const pairedCpuRatio = median(fnTimes.map((t, i) => t.cpuMs / baseTimes[i]!.cpuMs));
      const fnImport = median(fnTimes.map((t) => t.importMs));
      const fnBuild = median(fnTimes.map((t) => t.buildMs));
      const fnInit = median(fnTimes.map((t) => t.importMs + t.buildMs));
      const baseInit = median(baseTimes.map((t) => t.importMs));
      const fnCpu = median(fnTimes.map((t) => t.cpuMs));
      const baseCpu = median(baseTimes.map((t) => t.cpuMs));
      const cpuRatio = ratio(fnCpu, baseCpu);
      const bench = `bundle: ${key}`;
      const initRatio = ratio(fnInit, baseInit);
      const overSize = b.bytesWithoutSdk > BUNDLE_GOAL_BYTES;
      const overInit = cpuRatio > INIT_RATIO_GOAL;
      rows.push(
        {
          bench,
          metric: 'bundle size (.mjs, minified)',
          value: kb(b.fn.bytes),
          unit: 'KB',
          baseline: kb(b.baseline.bytes),
          ratio: ratio(b.fn.bytes, b.baseline.bytes),
          note: `source map ${kb(b.fn.mapBytes)} KB; ${sdkNote()}; baseline: ${b.clients.join(', ')}`,
        },
        {
          bench,
          metric: 'bundle size without the AWS SDK (.mjs, minified)',
          value: kb(b.bytesWithoutSdk),
          unit: 'KB',
          baseline: kb(BUNDLE_GOAL_BYTES),
          ratio: ratio(b.bytesWithoutSdk, BUNDLE_GOAL_BYTES),
          note: `${overSize ? 'OVER the goal' : 'within the goal'}: ≤ ${kb(BUNDLE_GOAL_BYTES)} KB (baseline column)`,
        },
        {
          bench,
          metric: `cold-start init (import + AWS clients, median of ${runs})`,
          value: ms(fnInit),
          unit: 'ms',
          baseline: ms(baseInit),
          ratio: initRatio,
          note: `import ${ms(fnImport)} ms + building adapters and clients ${ms(fnBuild)} ms (wall time)`,
        },
        {
          bench,
          metric: `cold-start init CPU time (median of ${runs})`,
          value: ms(fnCpu),
          unit: 'ms',
          baseline: ms(baseCpu),
          ratio: cpuRatio,
          note:
            `${overInit ? 'OVER the goal' : 'within the goal'}: ≤ ${INIT_RATIO_GOAL}× the SDK-only baseline; ` +
            `pair by pair the median ratio is ${ratio(pairedCpuRatio, 1)}×`,
        },
      );
      if (overSize || overInit) over.push(key);
      log(
        `${bench}: ${kb(b.fn.bytes)} KB vs ${kb(b.baseline.bytes)} KB (${kb(b.bytesWithoutSdk)} KB without the SDK), ` +
          `init ${ms(fnInit)} ms vs ${ms(baseInit)} ms (${initRatio}×), CPU ${ms(fnCpu)} ms vs ${ms(baseCpu)} ms (${cpuRatio}×)`,
      );
    }
  } finally {
    await dispose();
  }
  log(
    over.length
      ? `bundles over a goal (${kb(BUNDLE_GOAL_BYTES)} KB without the SDK, init CPU ≤ ${INIT_RATIO_GOAL}×): ${over.join(', ')}`
      : 'every bundle within both goals',
  );
  return rows;
};
