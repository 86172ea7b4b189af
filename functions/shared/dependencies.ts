/**
 * Where handlers get their adapters. In Lambda the AWS set is built once per cold start from the
 * environment and the AWS adapters the handler gives (each function bundles only the clients it uses);
 * the local runtime provides its own set (SMTP, embedded workflow, fast-forward clock) before it invokes
 * the very same handlers.
 */
import { buildAwsDependencies, type AwsAdapters } from '../adapters/aws-dependencies';
import type { Dependencies } from '../ports';
import { parseConfig } from './config';

export type { AwsAdapters };

let provided: Dependencies | undefined;
let built: Dependencies | undefined;

export function provideDependencies(deps: Dependencies | undefined): void {
  provided = deps;
}

/** The adapters of a function whose handler gives these AWS adapters (one handler per Lambda). */
export function dependenciesWith(aws: AwsAdapters): () => Dependencies {
  return () => provided ?? (built ??= buildAwsDependencies(parseConfig(process.env), aws));
}
