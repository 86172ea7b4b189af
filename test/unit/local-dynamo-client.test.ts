/**
 * The local client's own options stay local: the AWS adapter's client keeps the SDK's whole middleware
 * stack, and `LOCAL_DYNAMO_SIGNING=on` (signing: true) gives the local one back everything AWS runs.
 */
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamodb-store';
import { localDocumentClient } from '../../infra/local/dynamo-client';

const middleware = (client: { middlewareStack: { identify(): string[] } }) =>
  client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);

describe("the SDK's logger middleware", () => {
  it('is left out of the local client by default', () => {
    expect(middleware(localDocumentClient('http://127.0.0.1:1'))).not.toContain('loggerMiddleware');
  });

  it('stays in the local client that signs as in AWS, and in the AWS adapter', () => {
    expect(middleware(localDocumentClient('http://127.0.0.1:1', { signing: true }))).toContain(
      'loggerMiddleware',
    );
    expect(middleware(createDocumentClient())).toContain('loggerMiddleware');
  });
});
