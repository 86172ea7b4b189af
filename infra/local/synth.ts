/**
 * Gets the synthesized templates for the local runtime: reuses `cdk.out` when it is newer than every
 * source file, otherwise synthesizes in-process (without esbuild bundling: the local runtime runs the
 * handler sources directly, so bundles would be built for nothing).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CfnTemplate } from './template';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['infra', 'workflows', 'functions', 'cdk.json', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/**
 * The templates of the stacks the last synth produced, as its manifest lists them: a directory listing
 * would also pick up templates left behind by stacks since renamed (stack names carry the stage).
 */
function readTemplates(outdir: string): CfnTemplate[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  return Object.values(manifest.artifacts ?? {})
    .filter((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map((a) => JSON.parse(readFileSync(join(outdir, a.properties!.templateFile!), 'utf8')) as CfnTemplate);
}

function isFresh(outdir: string): boolean {
  const manifest = join(outdir, 'manifest.json');
  if (!existsSync(manifest)) return false;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(REPO_ROOT, s))));
  return statSync(manifest).mtimeMs > sources;
}

export async function synthesizedTemplates(
  options: { outdir?: string; log?: (m: string) => void } = {},
): Promise<{ templates: CfnTemplate[]; source: string }> {
  const log = options.log ?? (() => {});
  const shared = join(REPO_ROOT, 'cdk.out');
  if (!options.outdir && isFresh(shared)) {
    log('reusing up-to-date cdk.out');
    return { templates: readTemplates(shared), source: shared };
  }
  const outdir = options.outdir ?? join(REPO_ROOT, '.data', 'cdk.out');
  if (isFresh(outdir)) {
    log(`reusing up-to-date ${outdir}`);
    return { templates: readTemplates(outdir), source: outdir };
  }
  log('synthesizing the CDK app…');
  const { buildApp } = await import('../build-app');
  const { app } = buildApp({ outdir, bundling: false });
  app.synth();
  return { templates: readTemplates(outdir), source: outdir };
}
