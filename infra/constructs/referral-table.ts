/**
 * The one DynamoDB table of the system (key design in ./table-design). Encrypted with a
 * customer-managed KMS key, point-in-time recovery on, deletion-protected and retained: it holds
 * referrals of children in care, so losing it (or a stack deletion dropping it) is not an option.
 *
 * Access is granted with `grantItemAccess`, not `grantReadWriteData`: the CDK grant includes
 * `dynamodb:Scan` (and table-wide wildcards), while every access pattern here is a GetItem or a Query.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type CfnTable,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TIME_TO_LIVE_ATTRIBUTE } from '../../functions/adapters/time-to-live';
import { TABLE_KEYS } from './table-design';

/** Marker the local runtime uses to find the table in the synthesized template (see infra/local/template.ts). */
export const REFERRAL_TABLE_METADATA = { key: 'bris:table', value: 'referrals' } as const;

/** Item-level actions the functions need. Deliberately no Scan, no table-management actions. */
export const TABLE_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  // Erasure writes a referral's items in batches of 25; the pool and a group's members are read in
  // batches (functions/store/io.ts, batchWrite and batchGet).
  'dynamodb:BatchWriteItem',
  'dynamodb:BatchGetItem',
] as const;

/**
 * What a caller needs on the table's key so DynamoDB can use it on the caller's behalf. Spelled out
 * instead of CDK's `grantEncryptDecrypt` (`kms:ReEncrypt*`, `kms:GenerateDataKey*`) to avoid
 * wildcard actions; the ViaService condition limits them to calls made through DynamoDB.
 */
export const TABLE_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:DescribeKey',
] as const;

export interface ReferralTableProps {
  /** Customer-managed key for encryption at rest; created (with rotation) when omitted. */
  encryptionKey?: IKey;
}

export class ReferralTable extends Construct {
  readonly table: Table;
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: ReferralTableProps = {}) {
    super(scope, id);
    this.encryptionKey =
      props.encryptionKey ??
      new Key(this, 'Key', {
        description: 'Encrypts the Bris referral table',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Sessions, sign-in links and submission records expire (functions/adapters/time-to-live.ts).
      timeToLiveAttribute: TIME_TO_LIVE_ATTRIBUTE,
    });
    for (const index of TABLE_KEYS.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    (this.table.node.defaultChild as CfnTable).addMetadata(
      REFERRAL_TABLE_METADATA.key,
      REFERRAL_TABLE_METADATA.value,
    );
  }

  /** Item read/write without Scan (see `grantTableItemAccess`). */
  grantItemAccess(grantee: IGrantable): Grant {
    return grantTableItemAccess(this.table, grantee);
  }
}

/** ARNs of the table and of each of its indexes, named (no `/index/*` wildcard). */
export function tableResourceArns(table: ITable): string[] {
  return [table.tableArn, ...TABLE_KEYS.indexes.map((i) => `${table.tableArn}/index/${i.indexName}`)];
}

/**
 * Item read/write without Scan: GetItem, Query, PutItem, UpdateItem, DeleteItem, BatchWriteItem,
 * BatchGetItem (what the store sends,
 * see test/infra/iam.test.ts) on the table and its indexes, plus use of the table's key through DynamoDB.
 */
export function grantTableItemAccess(table: ITable, grantee: IGrantable): Grant {
  const grant = Grant.addToPrincipal({
    grantee,
    actions: [...TABLE_ITEM_ACTIONS],
    resourceArns: tableResourceArns(table),
  });
  if (table.encryptionKey) {
    Grant.addToPrincipal({
      grantee,
      actions: [...TABLE_KEY_ACTIONS],
      resourceArns: [table.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
    });
  }
  return grant;
}
