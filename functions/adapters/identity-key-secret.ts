/**
 * The identity key from Secrets Manager, for the functions that hash identity numbers or derive step
 * links (catalog `readsIdentityKey`). Its own module, imported by those functions' handlers only, so no
 * other bundle holds the Secrets Manager client.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../shared/config';
import { onFirstUse } from './lazy-client';

function missing(what: string): never {
  throw new Error(`Configuration error: ${what} is not set for this function`);
}

export function secretsManagerIdentityKey(config: Config): () => Promise<string> {
  const client = onFirstUse(() => new SecretsManagerClient({}));
  return async () => {
    const secretId = config.identityKeySecretArn ?? missing('IDENTITY_KEY_SECRET_ARN');
    const secret = await client().send(new GetSecretValueCommand({ SecretId: secretId }));
    return secret.SecretString ?? missing('the identity key secret value');
  };
}
