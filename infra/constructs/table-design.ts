/**
 * The single table's key design, used by CDK and by the local runtime (which reads it back from the
 * synthesized template). Generic keys; every access pattern is a GetItem or a Query, never a Scan.
 *
 *  item                 PK                          SK                     GSI1 (PK / SK)                     GSI2 (PK / SK)
 *  referral             REFERRAL#<id>               REFERRAL               DISTRICT#<d> / <createdAt>#<id>    STATUS#<status> / <updatedAt>#<id>
 *  human step           REFERRAL#<id>               STEP#<step>
 *  audit event          REFERRAL#<id>               AUDIT#<at>#<rand>
 *  link (capability)    LINK#<sha256(token)>        LINK
 *  link audit (unknown) LINKAUDIT#<yyyy-mm-dd>      <at>#<rand>
 *  submission           SUBMISSION#<idempotencyKey> SUBMISSION
 *  active-child lock    CHILD#<hmac(identityNo)>    ACTIVE
 *  partnership          PARTNERSHIP#<id>            PARTNERSHIP
 *  group                PARTNERSHIP#<id>            GROUP#<groupId>
 *  group member         GROUP#<groupId>             MEMBER#<referralId>
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
} as const;
