import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
    expect(code.length).toBe(built.fn.bytes);
    expect(code.startsWith("import { createRequire } from 'module';")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    // The SDK stays external (the runtime has it), the project's code is inside.
    expect(code).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    expect(code).not.toContain('class DynamoDBClient');
  });

  it('builds a baseline that imports only the SDK clients the function uses, and is smaller', async () => {
    expect(built.clients).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']);
    const code = await readFile(built.baseline.file, 'utf8');
    expect(code).toMatch(/from\s*"@aws-sdk\/lib-dynamodb"/);
    expect(code).not.toContain('@aws-sdk/client-sesv2');
    expect(built.baseline.bytes).toBeGreaterThan(0);
    expect(built.baseline.bytes).toBeLessThan(built.fn.bytes);
  });

  it('imports both in a fresh process and times them', async () => {
    const fn = await measureInit(built.probe);
    const baseline = await measureInit(built.baseline.file);
    for (const t of [fn, baseline]) {
      expect(t.importMs).toBeGreaterThan(0);
      expect(t.buildMs).toBeGreaterThanOrEqual(0);
    }
    // A bundle that cannot be imported is an error, not a timing.
    const broken = join(work.dir, 'broken', 'index.mjs');
    await mkdir(join(work.dir, 'broken'));
    await writeFile(broken, "throw new Error('top-level config failed');\n");
    await expect(measureInit(broken)).rejects.toThrow(/top-level config failed/);
  });

  it('takes medians', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
