/**
 * The AWS SDK is bundled into each function at the locked version, not taken from the Lambda runtime
 * (which ships a version of its own choosing, while the code relies on recent SESv2 features): the
 * construct's esbuild run, for real, on one function.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { afterAll, describe, expect, it } from 'vitest';
import { EXTERNAL_MODULES, ReferralFunction } from '../../infra/constructs/referral-function';

const outdir = mkdtempSync(join(tmpdir(), 'bris-sdk-bundling-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function bundles', () => {
  it('contain the AWS SDK instead of importing it from the runtime', () => {
    expect(EXTERNAL_MODULES).toEqual([]);
    const app = new App({ outdir });
    const stack = new Stack(app, 'SdkBundling');
    new ReferralFunction(stack, 'ErasureSweep', {
      entry: 'functions/erasure-sweep/handler.ts',
      logKey: new Key(stack, 'Key'),
    });
    app.synth();
    const bundles = readdirSync(outdir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('index.mjs'),
    );
    expect(bundles).toHaveLength(1);
    const code = readFileSync(join(outdir, bundles[0]!), 'utf8');
    expect(code).not.toMatch(/from\s*"@aws-sdk\//);
    expect(code).not.toMatch(/import\(\s*"@aws-sdk\//);
    expect(code).toContain('DynamoDB_20120810');
  }, 120_000);
});
