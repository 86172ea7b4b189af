/**
 * The production set of adapters: DynamoDB, system clock, logs and metrics for every function, and
 * SES, Step Functions and Secrets Manager for the functions that use them. Those three are given by each
 * handler (`AwsAdapters`) rather than imported here: esbuild bundles what a handler can reach, so a
 * function that only uses the table holds, and loads at a cold start, no client it never calls.
 */
import type { Config } from '../shared/config';
import type { Dependencies, EmailSender, WorkflowEngine } from '../ports';
import { systemClock } from './clock';
import { createDocumentClient, DynamoDbReferralStore } from './dynamodb-store';
import { cachePartnerships } from './partnership-cache';
import { HmacIdentityHasher } from './identity-hasher';
import { KeyedLinkTokens } from './link-tokens';
import { countedEmails } from './counted-email';
import { createLogger } from './logger';
import { EmfMetrics } from './metrics';

/**
 * The AWS adapters a function's handler gives, after its catalog entry (infra/functions-catalog.ts):
 * `sesEmail` (functions/adapters/email-ses.ts) when it sends email, `stepFunctionsWorkflow`
 * (workflow-sfn.ts) when it starts executions or resumes waits, `secretsManagerIdentityKey`
 * (identity-key-secret.ts) when it reads the identity key. test/infra/bundle-size.test.ts checks each
 * bundle against the catalog.
 */
export interface AwsAdapters {
  email?: (config: Config) => EmailSender;
  workflow?: (config: Config) => WorkflowEngine;
  identityKey?: (config: Config) => () => Promise<string>;
}

/** A port this function was built without: fails on use, naming what to add. */
const notGiven = (adapter: string, catalogFlag: string) => (): never => {
  throw new Error(
    `Configuration error: this function was built without ${adapter}; give it in the handler's AWS adapters ` +
      `and set ${catalogFlag} in infra/functions-catalog.ts`,
  );
};

/**
 * Caches the promise of `fetch` only once it has succeeded: a rejected fetch (a throttled or timed-out
 * Secrets Manager call) is forgotten, so the next call tries again instead of failing for the rest of
 * the container's life. Concurrent callers share the one fetch in flight.
 */
export function cacheSuccess<T>(fetch: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () =>
    (cached ??= fetch().catch((error: unknown) => {
      cached = undefined;
      throw error;
    }));
}

export function buildAwsDependencies(config: Config, aws: AwsAdapters): Dependencies {
  const noKey = notGiven('the identity key reader (secretsManagerIdentityKey)', 'readsIdentityKey');
  const readIdentityKey = cacheSuccess(
    config.identityKey
      ? async () => config.identityKey!
      : (aws.identityKey?.(config) ?? (async () => noKey())),
  );
  const noWorkflow = notGiven('the Step Functions adapter (stepFunctionsWorkflow)', 'starts or callbacks');
  const workflow: WorkflowEngine = aws.workflow?.(config) ?? {
    startReferral: async () => noWorkflow(),
    resumeReferral: async () => noWorkflow(),
    startGroup: async () => noWorkflow(),
    resumeGroup: async () => noWorkflow(),
    sendTaskSuccess: async () => noWorkflow(),
    sendTaskFailure: async () => noWorkflow(),
  };
  const noEmail = notGiven('the SES email adapter (sesEmail)', 'sendsEmail');
  const email: EmailSender = aws.email?.(config) ?? { send: async () => noEmail() };

  const log = createLogger({ service: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bris-referrals' });
  const metrics = new EmfMetrics({ warn: (message) => log.warn(message) });
  return {
    config,
    store: cachePartnerships(
      new DynamoDbReferralStore(createDocumentClient(config.dynamodbEndpoint), config.tableName),
    ),
    email: countedEmails(email, metrics),
    workflow,
    clock: systemClock,
    wallClock: systemClock,
    identity: new HmacIdentityHasher(readIdentityKey),
    linkTokens: new KeyedLinkTokens(readIdentityKey),
    log,
    metrics,
  };
}
