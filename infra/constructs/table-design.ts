/**
 * The single table's key design, used by CDK and by the local runtime (which reads it back from the
 * synthesized template). Generic keys; every access pattern is a GetItem or a Query, never a Scan.
 * The keys are built in code in functions/store/table.ts (and only there); this table describes them.
 *
 *  item                 PK                          SK                              GSI1 (PK / SK)                   GSI2 (PK / SK)
 *  referral             REFERRAL#<id>               REFERRAL                        DISTRICT#<d> / <createdAt>#<id>  STATUS#<status> / <id>
 *  human step           REFERRAL#<id>               STEP#<step>[#<custodian>]
 *  notification sent    REFERRAL#<id>               NOTIFY#<key>
 *  audit event          REFERRAL#<id>               AUDIT#<at>#<seq>#<rand>
 *  link (capability)    LINK#<sha256(token)>        LINK                                                             LINKS#<referralId> / <hash>
 *  link reference (old) REFERRAL#<id>               LINKREF#<hash>                  (written beside links before the LINKS# index; erasure still follows them)
 *  link audit (unknown) LINKAUDIT#<yyyy-mm-dd>      <at>#<rand>
 *  submission           SUBMISSION#<idempotencyKey> SUBMISSION
 *  active-child lock    CHILD#<hmac(identityNo)>    ACTIVE
 *  partnership          PARTNERSHIP#<id>            PARTNERSHIP
 *  group                PARTNERSHIP#<id>            GROUP#<groupId>
 *  pool entry           POOL#<partnershipId>        <ageBand>#<referralId>
 *  pool claim           POOL#<partnershipId>        CLAIM#<groupId>                 (a confirmation's children while its group places them: read with the entries, or alone by a wait)
 *  consent history      CONSENTS#<partnershipId>    CONSENTDAY#<day>#<band> / SINCE (the instants a band's children entered the pool that day, no id; the forecast's)
 *  consent (old)        CONSENTS#<partnershipId>    CONSENT#<at>#<rand>             (one per child, written before 2026-12-03; still read until TTL)
 *  proposal clock       PARTNERSHIP#<id>            PROPOSAL#<ageBand>              (a band's group proposal: since, stopped)
 *  proposal reminders   REFERRAL#pool-<id>-<band>   NOTIFY#<key>                    (the band's reminders and escalation, sent once)
 *  group member         GROUP#<groupId>             MEMBER#<referralId>
 *  placement (one/child) REFERRAL#<id>              PLACEMENT                       (the group that took the child)
 *  attendance           GROUP#<groupId>             ATTENDANCE#<meeting>#<referralId>
 *  group step / audit   REFERRAL#<groupId>          STEP#attendance#<meeting> / AUDIT#…   (group ids start with g-)
 *  staff session        SESSION#<sha256(cookie)>    SESSION
 *  due erasure          ERASURE                     <eraseAt>#<referralId>         (id and instant only; the daily sweep's list)
 *
 * TTL (attribute `expireAfter`, epoch seconds; see functions/adapters/time-to-live.ts): staff sessions,
 * staff sign-in links, submissions, consent history (a year after the day), pool claims (a day after they
 * stop counting). Never the active-child lock.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: [
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
} as const;
