import { describe, expect, it } from 'vitest';
import { requestShape } from '../../bench/request-shapes';
import type { RecordedRequest } from '../../bench/request-replay';

const request = (op: string, body: Record<string, unknown>): RecordedRequest => ({
  seq: 1,
  op,
  inFlight: 1,
  body,
});
const key = (pk: string, sk: string) => ({ PK: { S: pk }, SK: { S: sk } });

describe('requestShape (bench/request-shapes.ts)', () => {
  it('names the kinds of a key and never an id', () => {
    const shape = requestShape(
      request('GetItem', { TableName: 't', Key: key('REFERRAL#R-AB12-CD34', 'REFERRAL') }),
    );
    expect(shape).toBe('GetItem REFERRAL/REFERRAL');
    expect(shape).not.toContain('R-AB12');
  });

  it('puts an item by its kinds, and a query by its index and partition kind', () => {
    expect(
      requestShape(request('PutItem', { Item: { ...key('REFERRAL#R-1', 'AUDIT#2026'), x: { S: 'y' } } })),
    ).toBe('PutItem REFERRAL/AUDIT');
    expect(
      requestShape(
        request('Query', {
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'POOL#stockholm-bris' } },
        }),
      ),
    ).toBe('Query table [POOL]');
    expect(
      requestShape(
        request('Query', { IndexName: 'GSI2', ExpressionAttributeValues: { ':pk': { S: 'LINKS#R-1' } } }),
      ),
    ).toBe('Query GSI2 [LINKS]');
  });

  it('tells a batch of a hundred from a batch of two, and says what each holds', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => key(`REFERRAL#R-${i}`, 'REFERRAL'));
    expect(requestShape(request('BatchGetItem', { RequestItems: { t: { Keys: hundred } } }))).toBe(
      'BatchGetItem ×100 REFERRAL/REFERRAL',
    );
    expect(
      requestShape(
        request('BatchGetItem', {
          RequestItems: { t: { Keys: [key('LINK#a', 'LINK'), key('REFERRAL#R-1', 'REFERRAL')] } },
        }),
      ),
    ).toBe('BatchGetItem ×2–9 LINK/LINK,REFERRAL/REFERRAL');
    expect(
      requestShape(
        request('BatchWriteItem', {
          RequestItems: {
            t: Array.from({ length: 25 }, (_, i) => ({
              DeleteRequest: { Key: key(`REFERRAL#R-${i}`, 'STEP#x') },
            })),
          },
        }),
      ),
    ).toBe('BatchWriteItem ×10–99 REFERRAL/STEP');
  });
});
