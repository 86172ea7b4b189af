/**
 * Where handlers get their adapters. In Lambda the AWS set is built once per cold start from the
 * environment; the local runtime provides its own set (SMTP, embedded workflow, fast-forward clock)
 * before it invokes the very same handlers.
 */
import { buildAwsDependencies } from '../adapters/aws-dependencies';
import type { Dependencies } from '../ports';
import { parseConfig } from './config';

let provided: Dependencies | undefined;
let built: Dependencies | undefined;

export function provideDependencies(deps: Dependencies | undefined): void {
  provided = deps;
}

export function dependencies(): Dependencies {
  if (provided) return provided;
  return (built ??= buildAwsDependencies(parseConfig(process.env)));
}
