/**
 * The DynamoDB document client of the local runtime, talking to dynalite: local-only options the AWS
 * adapter (functions/adapters/dynamodb-store.ts) never has. By default it does not sign requests (SigV4
 * was ~5 % of the main thread's CPU under the benchmark's load; dynalite checks only that an
 * Authorization header of the right shape is there) and does not resolve the endpoint through the SDK's
 * rule set (~4 %): dynalite's address is fixed; nor does it run the SDK's logger middleware (below).
 * `LOCAL_DYNAMO_SIGNING=on` signs, resolves and logs as in AWS, to measure the difference. When this
 * process started the dynalite at `endpoint`, requests reach its worker over a MessagePort instead of a
 * socket (dynalite-channel.ts; `LOCAL_DYNAMO_TRANSPORT=tcp` to compare).
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { channelTo } from './dynalite-channel';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A constant header of the shape dynalite asks for (it verifies no signature). */
const UNSIGNED =
  'AWS4-HMAC-SHA256 Credential=local/20260101/eu-north-1/dynamodb/aws4_request, SignedHeaders=host, Signature=unsigned';

type AuthScheme = NonNullable<DynamoDBClientConfig['httpAuthSchemes']>[number];

/** SigV4's place in the client, with a signer that only writes the constant header. */
const UNSIGNED_SCHEME: AuthScheme = {
  schemeId: 'aws.auth#sigv4',
  identityProvider: () => async () => ({ ...CREDENTIALS, expiration: undefined }),
  signer: {
    async sign(request) {
      const headers = (request as { headers: Record<string, string> }).headers;
      headers.authorization = UNSIGNED;
      headers['x-amz-date'] = '20260101T000000Z';
      return request;
    },
  },
};

export const localSigning = () => process.env.LOCAL_DYNAMO_SIGNING === 'on';

export function localDynamoClientConfig(
  endpoint: string,
  options: { userAgent?: string; signing?: boolean } = {},
): DynamoDBClientConfig {
  const signing = options.signing ?? localSigning();
  const channel = channelTo(endpoint);
  return {
    endpoint,
    ...(channel ? { requestHandler: channel as never } : {}),
    region: 'eu-north-1',
    credentials: CREDENTIALS,
    ...(options.userAgent ? { customUserAgent: options.userAgent } : {}),
    ...(signing
      ? {}
      : {
          endpointProvider: () => ({ url: new URL(endpoint) }),
          httpAuthSchemes: [UNSIGNED_SCHEME],
        }),
  };
}

/**
 * The SDK's logger middleware, which the local client leaves out unless it signs: it filters every input
 * and output for sensitive fields even when no logger is set (nothing logs the local client's calls), ~6 %
 * of a request's CPU against dynalite on this machine.
 */
const LOGGER_MIDDLEWARE = 'loggerMiddleware';

/**
 * The document client the local system's store uses, with the marshalling options of the AWS adapter's
 * `createDocumentClient` (undefined values removed).
 */
export function localDocumentClient(
  endpoint: string,
  options: { userAgent?: string; signing?: boolean } = {},
): DynamoDBDocumentClient {
  const signing = options.signing ?? localSigning();
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient(localDynamoClientConfig(endpoint, { ...options, signing })),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  if (!signing) client.middlewareStack.remove(LOGGER_MIDDLEWARE);
  return client;
}
