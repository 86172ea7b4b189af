/**
 * `npm run deploy`: every required setting checked with a clear message before anything is created; the
 * cdk.json placeholders refused for a deploy (while an offline synth keeps them); a valid set synthesizes,
 * with an SES domain identity signing with DKIM.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { checkDeploySettings } from '../../infra/deploy-settings';
import { deployProblems } from '../../infra/deploy';
import { PARTNERSHIP_FILE } from '../../infra/partnership-file';
import { resourcesOf, synth, type Synthesized } from './synth';

const dir = mkdtempSync(join(tmpdir(), 'bris-deploy-'));
/** The demo partnership with real-looking addresses (the repository's file has example ones). */
const realPartnership = join(dir, 'partnership.json');
{
  const p = JSON.parse(readFileSync(PARTNERSHIP_FILE, 'utf8'));
  const real = (e: string) => e.replace(/@.*$/, '@stodgrupper.bris.se');
  p.coordinator.email = real(p.coordinator.email);
  for (const m of p.staff) m.email = real(m.email);
  writeFileSync(realPartnership, JSON.stringify(p));
}
const VALID = {
  stage: 'prod',
  senderDomain: 'stodgrupper.bris.se',
  senderEmail: 'stodgrupper@stodgrupper.bris.se',
  publicBaseUrl: 'https://stodgrupper.bris.se/',
  alarmEmail: 'drift@bris.se',
  partnershipFile: realPartnership,
};
const asArgs = (o: Record<string, string>) => Object.entries(o).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deploy settings', () => {
  it('names every missing setting and what it is for', () => {
    expect(() => checkDeploySettings({})).toThrow(
      /nothing was created:\n\s+stage: is required[^\n]*\n\s+senderDomain: is required[^\n]*\n\s+senderEmail: is required[^\n]*\n\s+publicBaseUrl: is required[^\n]*\n\s+alarmEmail: is required/,
    );
  });

  it("refuses cdk.json's placeholder sender, saying what to set", () => {
    const problems = deployProblems([]).join('\n');
    expect(problems).toContain(
      'senderEmail: is the placeholder of cdk.json: set senderEmail to an address at your senderDomain',
    );
    expect(problems).toContain('deploy.config.json');
  });

  it.each([
    [{ stage: 'Prod!' }, /stage: lower-case letters/],
    [
      { senderEmail: 'bris@gmail.com' },
      /senderEmail: must be an address at senderDomain stodgrupper\.bris\.se/,
    ],
    [{ senderDomain: 'example.org', senderEmail: 'a@example.org' }, /senderDomain: is a placeholder domain/],
    [
      { publicBaseUrl: 'http://stodgrupper.bris.se' },
      /publicBaseUrl: must be "api" or an https:\/\/ address/,
    ],
    [{ alarmEmail: 'drift' }, /alarmEmail: /],
    [{ region: 'Stockholm' }, /region: an AWS region name/],
  ])('refuses %o', (change, message) => {
    expect(() => checkDeploySettings({ ...VALID, ...change })).toThrow(message);
  });

  it('refuses a partnership whose allow-list still has example addresses', () => {
    const problems = deployProblems(asArgs({ ...VALID, partnershipFile: PARTNERSHIP_FILE })).join('\n');
    expect(problems).toMatch(
      /example addresses; nobody could sign in:\n\s+coordinator\.email: samordnare@bris\.example/,
    );
  });

  it('accepts a valid set, from -c or from a config file', () => {
    expect(deployProblems(asArgs(VALID))).toEqual([]);
    const config = join(dir, 'deploy.config.json');
    writeFileSync(config, JSON.stringify(VALID));
    expect(deployProblems(['-c', `deployConfig=${config}`])).toEqual([]);
    expect(deployProblems(['-c', `deployConfig=${join(dir, 'missing.json')}`]).join()).toContain(
      'does not exist',
    );
  });

  it('a deploy synth with placeholders stops before any stack exists', () => {
    expect(() =>
      buildApp({ outdir: join(dir, 'out'), bundling: false, context: { deploy: 'true' } }),
    ).toThrow(/Deploy settings are not ready[\s\S]*senderEmail: is the placeholder/);
  });
});

describe('a valid deploy synthesizes', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ deploy: 'true', ...VALID });
  }, 120_000);
  afterAll(() => s?.cleanup());

  it('with an SES domain identity signing with DKIM, and its three DNS records as outputs', () => {
    s.statelessTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'stodgrupper.bris.se',
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
    });
    for (const i of [1, 2, 3]) s.statelessTemplate.hasOutput(`DkimRecord${i}`, {});
    s.statelessTemplate.hasOutput('AlarmEmail', { Value: 'drift@bris.se' });
  });

  it('with the settings in every function and the stage in the names', () => {
    for (const fn of Object.values(resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function'))) {
      const vars = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables;
      if (!vars || !('TABLE_NAME' in vars)) continue;
      expect(vars.SENDER_EMAIL).toBe('stodgrupper@stodgrupper.bris.se');
      expect(vars.PUBLIC_BASE_URL).toBe('https://stodgrupper.bris.se');
    }
    s.statelessTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'bris-referrals-prod',
    });
  });
});
