import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { TABLE_KEYS } from '../../infra/constructs/table-design';
import { REFERRAL_TABLE_METADATA } from '../../infra/constructs/referral-table';
import { resourcesOf, synth, type Synthesized } from './synth';
import { TIME_TO_LIVE_ATTRIBUTE } from '../../functions/adapters/time-to-live';

let s: Synthesized;
beforeAll(() => {
  s = synth();
}, 120_000);
afterAll(() => s?.cleanup());

describe('stateful stack: referral table', () => {
  it('has exactly one table, found by its bris:table metadata', () => {
    const tables = resourcesOf(s.statefulTemplate, 'AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(1);
    const [table] = Object.values(tables);
    expect(table?.Metadata?.[REFERRAL_TABLE_METADATA.key]).toBe(REFERRAL_TABLE_METADATA.value);
  });

  it('is on-demand, PITR-protected, deletion-protected and retained', () => {
    s.statefulTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('is encrypted with the customer-managed, rotating KMS key of the stack', () => {
    const keys = resourcesOf(s.statefulTemplate, 'AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(1);
    const [keyId, key] = Object.entries(keys)[0]!;
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    s.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
  });

  it('has the key schema and the GSIs of table-design (string keys, projection ALL)', () => {
    s.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_KEYS.indexes.map((i) => ({
        IndexName: i.indexName,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
    const [table] = Object.values(resourcesOf(s.statefulTemplate, 'AWS::DynamoDB::Table'));
    const attributes = table?.Properties?.AttributeDefinitions as {
      AttributeName: string;
      AttributeType: string;
    }[];
    const expected = [
      TABLE_KEYS.partitionKey,
      TABLE_KEYS.sortKey,
      ...TABLE_KEYS.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ];
    expect(attributes.map((a) => a.AttributeName).sort()).toEqual([...expected].sort());
    expect(attributes.every((a) => a.AttributeType === 'S')).toBe(true);
    // TTL on short-lived items only (sessions, sign-in links, submissions): see test/infra/time-to-live.test.ts.
    expect(table?.Properties?.TimeToLiveSpecification).toEqual({
      AttributeName: TIME_TO_LIVE_ATTRIBUTE,
      Enabled: true,
    });
  });

  it('lets CloudWatch Logs use the key only for log groups of this account and region', () => {
    s.statefulTemplate.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsOfThisAccount',
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});
