/**
 * `npm run deploy [-- -c name=value …]`: checks every deploy setting (and the partnership file) with a
 * message per problem BEFORE anything is created, then runs `cdk deploy --all -c deploy=true` for the
 * account and region of the current credentials (AWS_PROFILE / AWS_REGION), or those pinned with
 * `-c account=… -c region=…` / deploy.config.json. The app checks again under `deploy=true`, so a
 * plain `cdk deploy -c deploy=true` is held to the same rules.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './constructs/referral-function';
import { checkDeploySettings, placeholderStaff, rawDeploySettings } from './deploy-settings';
import { readPartnershipFile } from './partnership-file';

/** cdk.json's context with the `-c name=value` arguments over it. */
export function contextFrom(args: string[]): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const context: Record<string, unknown> = { ...cdkJson.context };
  for (let i = 0; i < args.length; i++)
    if ((args[i] === '-c' || args[i] === '--context') && args[i + 1]) {
      const [k, ...v] = args[i + 1]!.split('=');
      context[k!] = v.join('=');
      i++;
    }
  return context;
}

/** Every problem of the settings and the partnership file; empty when a deploy may start. */
export function deployProblems(args: string[]): string[] {
  const context = contextFrom(args);
  try {
    const raw = rawDeploySettings((k) => context[k], REPO_ROOT);
    const settings = checkDeploySettings(raw.values, raw.configFile ?? 'cdk.json and -c');
    const staff = placeholderStaff(readPartnershipFile(resolve(REPO_ROOT, settings.partnershipFile)));
    return staff.length
      ? [
          `The partnership file ${settings.partnershipFile} still has example addresses; nobody could sign in:\n  ` +
            staff.join('\n  '),
        ]
      : [];
  } catch (e) {
    return [(e as Error).message];
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const args = process.argv.slice(2);
  const problems = deployProblems(args);
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  const cdk = spawnSync(
    'npx',
    ['cdk', 'deploy', '--all', '--require-approval', 'broadening', '-c', 'deploy=true', ...args],
    { cwd: REPO_ROOT, stdio: 'inherit' },
  );
  process.exit(cdk.status ?? 1);
}
