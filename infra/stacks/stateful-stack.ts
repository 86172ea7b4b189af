/**
 * What must outlive any redeploy: the customer-managed KMS key and the referral table. Both are
 * retained on stack deletion. The stateless stack (functions, workflow, API) receives them as props.
 */
import { Aws, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { ReferralTable } from '../constructs/referral-table';

export class StatefulStack extends Stack {
  /** Encrypts the table, the identity-key secret and every log group of the system. */
  readonly key: Key;
  readonly table: Table;
  readonly referralTable: ReferralTable;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.key = new Key(this, 'DataKey', {
      description: 'Bris referrals: encrypts the referral table, the identity-key secret and the log groups',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the log groups (in the stateless stack) with this key. Scoped to log
    // groups of this account and region by the encryption context; declared here, generically, so the
    // key policy does not reference the other stack.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );

    this.referralTable = new ReferralTable(this, 'Referrals', { encryptionKey: this.key });
    this.table = this.referralTable.table;
    // For `npm run partnership -- apply FILE --table NAME` and for operators.
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The referral table (npm run partnership -- apply FILE --table <this>)',
    });
  }
}
