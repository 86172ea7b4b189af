/** The production set of adapters: DynamoDB, SES, Step Functions, Secrets Manager, system clock. */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../shared/config';
import type { Dependencies, WorkflowEngine } from '../ports';
import { systemClock } from './clock';
import { createDocumentClient, DynamoDbReferralStore } from './dynamodb-store';
import { cachePartnerships } from './partnership-cache';
import { SesEmailSender } from './email-ses';
import { HmacIdentityHasher } from './identity-hasher';
import { KeyedLinkTokens } from './link-tokens';
import { countedEmails } from './counted-email';
import { createLogger } from './logger';
import { EmfMetrics } from './metrics';
import { StepFunctionsWorkflow } from './workflow-sfn';

function missing(what: string): never {
  throw new Error(`Configuration error: ${what} is not set for this function`);
}

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

export function buildAwsDependencies(config: Config): Dependencies {
  const readIdentityKey = cacheSuccess(() =>
    config.identityKey
      ? Promise.resolve(config.identityKey)
      : new SecretsManagerClient({})
          .send(
            new GetSecretValueCommand({
              SecretId: config.identityKeySecretArn ?? missing('IDENTITY_KEY_SECRET_ARN'),
            }),
          )
          .then((s) => s.SecretString ?? missing('the identity key secret value')),
  );

  // Callbacks need no ARN (the token says where it belongs); starting an execution does.
  const workflow: WorkflowEngine = new StepFunctionsWorkflow(
    new SFNClient({}),
    config.stateMachineArn,
    config.groupStateMachineArn,
  );

  const log = createLogger({ service: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bris-referrals' });
  const metrics = new EmfMetrics({ warn: (message) => log.warn(message) });
  return {
    config,
    store: cachePartnerships(
      new DynamoDbReferralStore(createDocumentClient(config.dynamodbEndpoint), config.tableName),
    ),
    email: countedEmails(
      new SesEmailSender(new SESv2Client({}), config.senderEmail, config.sesConfigurationSet),
      metrics,
    ),
    workflow,
    clock: systemClock,
    wallClock: systemClock,
    identity: new HmacIdentityHasher(readIdentityKey),
    linkTokens: new KeyedLinkTokens(readIdentityKey),
    log,
    metrics,
  };
}
