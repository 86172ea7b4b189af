/**
 * Contract of the Secrets Manager read in the AWS dependencies: the identity key (it keys the identity-
 * number HMAC and the link tokens) is read with one GetSecretValue of the configured secret ARN, shared by
 * both users, and never when the key is given directly (the local runtime's IDENTITY_KEY).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildAwsDependencies } from '../../../functions/adapters/aws-dependencies';
import { secretsManagerIdentityKey } from '../../../functions/adapters/identity-key-secret';
import { KeyedLinkTokens } from '../../../functions/adapters/link-tokens';
import { withNotificationId } from '../../../functions/shared/notification-context';
import { parseConfig } from '../../../functions/shared/config';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:bris-identity-key-AbCdEf';
const KEY = 'k'.repeat(64);

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());
afterAll(() => sm.restore());
/** A function that reads the identity key gives the Secrets Manager reader (its handler does). */
const KEY_READER = { identityKey: secretsManagerIdentityKey };
const reads = () => sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input);

const config = (env: Record<string, string> = {}) =>
  parseConfig({
    TABLE_NAME: 'bris-referrals',
    PUBLIC_BASE_URL: 'https://stodgrupper.example.org',
    SENDER_EMAIL: 'stodgrupper@example.org',
    ...env,
  });

describe('Secrets Manager: the identity key', () => {
  it('is read once, with GetSecretValue of the configured ARN, and shared by the hasher and the link tokens', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: KEY, ARN: SECRET_ARN });
    const deps = buildAwsDependencies(config({ IDENTITY_KEY_SECRET_ARN: SECRET_ARN }), KEY_READER);
    const first = await deps.identity.hash('201401019802');
    expect(await deps.identity.hash('201401019802')).toBe(first);
    const linked = await withNotificationId('R-ABCD-EFGH:screening', () => deps.linkTokens.mint());
    expect(reads()).toEqual([{ SecretId: SECRET_ARN }]);
    // The key it read is the key it uses: the same as a hasher given the key directly.
    const direct = buildAwsDependencies(config({ IDENTITY_KEY: KEY }), KEY_READER);
    expect(first).toBe(await direct.identity.hash('201401019802'));
    expect(linked).toEqual(await withNotificationId('R-ABCD-EFGH:screening', () => direct.linkTokens.mint()));
  });

  it('is not fetched when the key is configured directly', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'not this one' });
    const deps = buildAwsDependencies(config({ IDENTITY_KEY: KEY }), KEY_READER);
    await deps.identity.hash('201401019802');
    expect(reads()).toEqual([]);
  });

  it('fails with the variable name when neither the key nor the secret ARN is configured, before any request', async () => {
    const deps = buildAwsDependencies(config(), KEY_READER);
    await expect(deps.identity.hash('201401019802')).rejects.toThrow(/IDENTITY_KEY_SECRET_ARN/);
    expect(reads()).toEqual([]);
  });

  it('fails when the secret has no string value (a binary secret is not a key)', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    const deps = buildAwsDependencies(config({ IDENTITY_KEY_SECRET_ARN: SECRET_ARN }), KEY_READER);
    await expect(deps.identity.hash('201401019802')).rejects.toThrow(/identity key secret value/);
  });

  it('fails naming what to add when the function was built without the reader, before any request', async () => {
    const deps = buildAwsDependencies(config({ IDENTITY_KEY_SECRET_ARN: SECRET_ARN }), {});
    await expect(deps.identity.hash('201401019802')).rejects.toThrow(
      /secretsManagerIdentityKey.*readsIdentityKey/,
    );
    expect(reads()).toEqual([]);
  });

  it('lets Secrets Manager errors through (the task or request fails and is retried)', async () => {
    sm.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );
    const deps = buildAwsDependencies(config({ IDENTITY_KEY_SECRET_ARN: SECRET_ARN }), KEY_READER);
    await expect(deps.identity.hash('201401019802')).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('link tokens over a secret that failed once', () => {
  it('derive the link key again after a failed read, instead of keeping the failure', async () => {
    let calls = 0;
    const secret = () =>
      ++calls === 1 ? Promise.reject(new Error('ThrottlingException')) : Promise.resolve(KEY);
    const tokens = new KeyedLinkTokens(secret);
    const mint = () => withNotificationId('R-ABCD-EFGH:consent', () => tokens.mint());
    await expect(mint()).rejects.toThrow('ThrottlingException');
    const after = await mint();
    expect(after).toEqual(
      await withNotificationId('R-ABCD-EFGH:consent', () => new KeyedLinkTokens(async () => KEY).mint()),
    );
    expect(calls).toBe(2);
  });
});
