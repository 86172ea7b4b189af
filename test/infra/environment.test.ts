/**
 * Nothing region- or account-specific is baked in at synth: an agnostic synth (what CI builds, even
 * under a CLI that fills `CDK_DEFAULT_REGION` with its `us-east-1` fallback) names no region at all, and
 * a synth pinned to a region names no other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { targetEnvironment } from '../../infra/build-app';
import { synth, type Synthesized } from './synth';

const REGIONS = RegionInfo.regions.map((r) => r.name);
const FAKE_ACCOUNT = '111122223333';

/** Every region name found in the cloud assembly's JSON files (templates, asset manifests, manifest). */
function regionNamesIn(outdir: string): Set<string> {
  const found = new Set<string>();
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.json'))) {
    const text = readFileSync(join(outdir, file), 'utf8');
    for (const region of REGIONS)
      if (new RegExp(`(?<![a-z0-9-])${region}(?![0-9])`).test(text)) found.add(`${region} in ${file}`);
  }
  return found;
}

describe('environment', () => {
  let agnostic: Synthesized;
  let pinned: Synthesized;
  const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
  beforeAll(() => {
    // What the CDK CLI sets when no region is configured anywhere.
    process.env.CDK_DEFAULT_REGION = 'us-east-1';
    process.env.CDK_DEFAULT_ACCOUNT = '999999999999';
    // The CLI also asks for version reporting (whose condition would list every region).
    agnostic = synth({ 'aws:cdk:version-reporting': true });
    pinned = synth({ region: 'eu-north-1', account: FAKE_ACCOUNT });
  }, 180_000);
  afterAll(() => {
    for (const [key, value] of [
      ['CDK_DEFAULT_REGION', saved.region],
      ['CDK_DEFAULT_ACCOUNT', saved.account],
    ] as const)
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    agnostic?.cleanup();
    pinned?.cleanup();
  });

  it('knows the region names it greps for', () => {
    expect(REGIONS).toEqual(expect.arrayContaining(['us-east-1', 'eu-north-1', 'eu-west-1']));
  });

  it('an agnostic synth names no region and no account, whatever CDK_DEFAULT_* say', () => {
    expect([...regionNamesIn(agnostic.outdir)]).toEqual([]);
    expect(agnostic.stateful.environment).toBe('aws://unknown-account/unknown-region');
    expect(agnostic.stateless.environment).toBe('aws://unknown-account/unknown-region');
    const text = readdirSync(agnostic.outdir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => readFileSync(join(agnostic.outdir, f), 'utf8'))
      .join('\n');
    expect(text).not.toContain('999999999999');
  });

  it('a synth pinned to eu-north-1 names no other region', () => {
    const found = [...regionNamesIn(pinned.outdir)];
    expect(found.filter((f) => !f.startsWith('eu-north-1 '))).toEqual([]);
    expect(found.length).toBeGreaterThan(0);
    expect(pinned.stateless.region).toBe('eu-north-1');
    expect(pinned.stateless.account).toBe(FAKE_ACCOUNT);
  });

  it('refuses a malformed account or region in the context', () => {
    const app = (context: Record<string, unknown>) => new App({ context });
    expect(() => targetEnvironment(app({ account: '1234' }))).toThrow(/account must be a 12-digit/);
    expect(() => targetEnvironment(app({ region: 'Stockholm' }))).toThrow(/region must be an AWS region/);
    expect(targetEnvironment(app({}))).toBeUndefined();
  });
});
