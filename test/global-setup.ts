/**
 * Runs once before all test files: synthesizes the CDK app (so every local system in the test workers
 * reuses one up-to-date template instead of racing to write it), and makes sure Debian's Chromium is
 * installed for the browser tests (no tool downloads its own browser).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

export const CHROMIUM = '/usr/bin/chromium';

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  console.log('[test setup] installing Debian chromium (apt-get install -y chromium)…');
  const root = process.getuid?.() === 0;
  const run = (args: string[]) =>
    execFileSync(root ? args[0]! : 'sudo', root ? args.slice(1) : args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run(['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'update']);
  run(['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', 'chromium']);
}

export default async function setup(project: TestProject): Promise<void> {
  const { synthesizedTemplates } = await import('../infra/local/synth');
  await synthesizedTemplates({ log: (m) => console.log(`[test setup] ${m}`) });
  const files = project.vitest.state.getFiles?.() ?? [];
  void files;
  if (process.env.SKIP_BROWSER_SETUP !== '1') ensureChromium();
}
