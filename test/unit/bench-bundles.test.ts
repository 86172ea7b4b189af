import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchExternalModules,
  bundleFunction,
  bundleWorkDir,
  measureInit,
  median,
  type FunctionBundles,
} from '../../bench/bundles';

describe('bundle benchmark', () => {
  let work: Awaited<ReturnType<typeof bundleWorkDir>>;
  let built: FunctionBundles;

  beforeAll(async () => {
    work = await bundleWorkDir();
    built = await bundleFunction('consentPlan', work.dir);
  });
  afterAll(() => work?.dispose());

  it('builds the function as CDK does: one minified ESM file with the require banner and a handler export', async () => {
    expect(built.fn.file.endsWith('index.mjs')).toBe(true);
    expect(built.fn.bytes).toBeGreaterThan(10_000);
    expect(built.fn.mapBytes).toBeGreaterThan(0);
    const code = await readFile(built.fn.file, 'utf8');
    expect(Buffer.byteLength(code, 'utf8')).toBe(built.fn.bytes); // bytes, not characters: the emails' å, ä, ö
    expect(code.startsWith("import { createRequire } from 'module';")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    // The SDK is bundled, as the construct deploys it (EXTERNAL_MODULES): no import left to the runtime.
    expect(code).not.toMatch(/from\s*"@aws-sdk\//);
    expect(code).toContain('DynamoDB_20120810');
  });

  it('builds a baseline that imports only the SDK clients the function uses, and is smaller', async () => {
    // The table, and SES for the approval email to the social worker; no Step Functions, no secret.
    expect(built.clients).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/lib-dynamodb',
      '@aws-sdk/client-sesv2',
    ]);
    const code = await readFile(built.baseline.file, 'utf8');
    expect(code).toContain('DynamoDB_20120810');
    expect(code).not.toContain('AWSStepFunctions');
    // The function's own bundle holds the same clients: no Step Functions either (its handler gives none).
    expect((await readFile(built.fn.file, 'utf8')).includes('AWSStepFunctions')).toBe(false);
    expect(built.baseline.bytes).toBeGreaterThan(0);
    expect(built.baseline.bytes).toBeLessThan(built.fn.bytes);
  });

  it('measures the size without the SDK, which the 300 KB goal is on', () => {
    expect(built.bytesWithoutSdk).toBeGreaterThan(10_000);
    expect(built.bytesWithoutSdk).toBeLessThan(built.fn.bytes - built.baseline.bytes / 2);
  });

  it('imports both in a fresh process and times them', async () => {
    const fn = await measureInit(built.probe);
    const baseline = await measureInit(built.baseline.file);
    for (const t of [fn, baseline]) {
      expect(t.importMs).toBeGreaterThan(0);
      expect(t.buildMs).toBeGreaterThanOrEqual(0);
      expect(t.cpuMs).toBeGreaterThan(0);
    }
    // A bundle that cannot be imported is an error, not a timing.
    const broken = join(work.dir, 'broken', 'index.mjs');
    await mkdir(join(work.dir, 'broken'));
    await writeFile(broken, "throw new Error('top-level config failed');\n");
    await expect(measureInit(broken)).rejects.toThrow(/top-level config failed/);
  });

  it('measures the other way on request: BENCH_SDK=external leaves the SDK to the runtime', () => {
    expect(benchExternalModules({})).toEqual([]);
    expect(benchExternalModules({ BENCH_SDK: 'external' })).toEqual(['@aws-sdk/*']);
  });

  it('takes medians', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
