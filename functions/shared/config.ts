/**
 * Function configuration, parsed once at cold start from the environment. CDK sets these on every
 * Lambda; the local runtime sets them on its own process. A missing or bad value fails fast with
 * the variable's name.
 */
import * as z from 'zod/mini';
import type { LinkRenewalLimits, SendLimit } from '../domain/send-limits';

/**
 * How long a function container keeps the partnership it read (functions/adapters/partnership-cache.ts): an
 * edit to the partnership reaches running functions in AWS within this many seconds.
 */
export const PARTNERSHIP_CACHE_SECONDS = 60;

export const ENV = {
  tableName: 'TABLE_NAME',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  senderEmail: 'SENDER_EMAIL',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  linkTtlDays: 'LINK_TTL_DAYS',
  partnershipId: 'PARTNERSHIP_ID',
  stateMachineArn: 'STATE_MACHINE_ARN',
  groupStateMachineArn: 'GROUP_STATE_MACHINE_ARN',
  identityKeySecretArn: 'IDENTITY_KEY_SECRET_ARN',
  identityKey: 'IDENTITY_KEY',
  emailTransport: 'EMAIL_TRANSPORT',
  smtpHost: 'SMTP_HOST',
  smtpPort: 'SMTP_PORT',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
} as const;

const schema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(1)),
  [ENV.publicBaseUrl]: z.pipe(
    z.url(),
    z.transform((u) => u.replace(/\/+$/, '')),
  ),
  [ENV.senderEmail]: z.email(),
  [ENV.sesConfigurationSet]: z.optional(z.string()),
  [ENV.linkTtlDays]: z._default(z.coerce.number().check(z.positive(), z.maximum(90)), 14),
  [ENV.partnershipId]: z._default(z.string().check(z.minLength(1)), 'stockholm-bris'),
  [ENV.stateMachineArn]: z.optional(z.string()),
  [ENV.groupStateMachineArn]: z.optional(z.string()),
  [ENV.identityKeySecretArn]: z.optional(z.string()),
  [ENV.identityKey]: z.optional(z.string().check(z.minLength(32))),
  [ENV.emailTransport]: z._default(z.enum(['ses', 'smtp']), 'ses'),
  [ENV.smtpHost]: z._default(z.string(), '127.0.0.1'),
  [ENV.smtpPort]: z._default(z.coerce.number().check(z.int(), z.positive()), 2525),
  [ENV.dynamodbEndpoint]: z.optional(z.url()),
});

export interface Config {
  tableName: string;
  publicBaseUrl: string;
  senderEmail: string;
  sesConfigurationSet?: string;
  linkTtlDays: number;
  partnershipId: string;
  stateMachineArn?: string;
  groupStateMachineArn?: string;
  identityKeySecretArn?: string;
  identityKey?: string;
  emailTransport: 'ses' | 'smtp';
  smtp: { host: string; port: number };
  dynamodbEndpoint?: string;
  /** Limits on sign-in emails per address; undefined: SIGN_IN_EMAIL_LIMITS (only the local runtime sets it). */
  signInEmailLimits?: readonly SendLimit[];
  /** Limits on fresh links for expired ones; undefined: LINK_RENEWAL_LIMITS (only the local runtime sets it). */
  linkRenewalLimits?: LinkRenewalLimits;
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => String(i.path[0])).join(', ');
    throw new Error(`Configuration error: check the environment variables ${names}`);
  }
  const e = parsed.data;
  return {
    tableName: e.TABLE_NAME,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    senderEmail: e.SENDER_EMAIL,
    sesConfigurationSet: e.SES_CONFIGURATION_SET,
    linkTtlDays: e.LINK_TTL_DAYS,
    partnershipId: e.PARTNERSHIP_ID,
    stateMachineArn: e.STATE_MACHINE_ARN,
    groupStateMachineArn: e.GROUP_STATE_MACHINE_ARN,
    identityKeySecretArn: e.IDENTITY_KEY_SECRET_ARN,
    identityKey: e.IDENTITY_KEY,
    emailTransport: e.EMAIL_TRANSPORT,
    smtp: { host: e.SMTP_HOST, port: e.SMTP_PORT },
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
  };
}
