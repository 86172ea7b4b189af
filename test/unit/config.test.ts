/**
 * The function configuration from the environment: defaults, the base URL without its trailing slash,
 * numbers from text, and a bad or missing value refused naming its variable (never its value).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/shared/config';

const REQUIRED = {
  TABLE_NAME: 'bris-referrals',
  PUBLIC_BASE_URL: 'https://stodgrupper.example.se//',
  SENDER_EMAIL: 'noreply@stodgrupper.example.se',
};

describe('parseConfig', () => {
  it('reads the required variables and fills in the defaults', () => {
    expect(parseConfig(REQUIRED)).toEqual({
      tableName: 'bris-referrals',
      publicBaseUrl: 'https://stodgrupper.example.se',
      senderEmail: 'noreply@stodgrupper.example.se',
      sesConfigurationSet: undefined,
      linkTtlDays: 14,
      partnershipId: 'stockholm-bris',
      stateMachineArn: undefined,
      groupStateMachineArn: undefined,
      identityKeySecretArn: undefined,
      identityKey: undefined,
      emailTransport: 'ses',
      smtp: { host: '127.0.0.1', port: 2525 },
      dynamodbEndpoint: undefined,
    });
  });

  it('reads every optional variable, numbers from their text', () => {
    const config = parseConfig({
      ...REQUIRED,
      SES_CONFIGURATION_SET: 'bris',
      LINK_TTL_DAYS: '30',
      PARTNERSHIP_ID: 'solna',
      STATE_MACHINE_ARN: 'arn:referral',
      GROUP_STATE_MACHINE_ARN: 'arn:group',
      IDENTITY_KEY_SECRET_ARN: 'arn:secret',
      IDENTITY_KEY: 'k'.repeat(32),
      EMAIL_TRANSPORT: 'smtp',
      SMTP_HOST: 'localhost',
      SMTP_PORT: '2626',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    });
    expect(config).toMatchObject({
      sesConfigurationSet: 'bris',
      linkTtlDays: 30,
      partnershipId: 'solna',
      stateMachineArn: 'arn:referral',
      groupStateMachineArn: 'arn:group',
      identityKeySecretArn: 'arn:secret',
      identityKey: 'k'.repeat(32),
      emailTransport: 'smtp',
      smtp: { host: 'localhost', port: 2626 },
      dynamodbEndpoint: 'http://127.0.0.1:8000',
    });
  });

  it.each([
    [{ TABLE_NAME: '' }, 'TABLE_NAME'],
    [{ PUBLIC_BASE_URL: 'not a url' }, 'PUBLIC_BASE_URL'],
    [{ SENDER_EMAIL: 'noreply' }, 'SENDER_EMAIL'],
    [{ LINK_TTL_DAYS: '0' }, 'LINK_TTL_DAYS'],
    [{ LINK_TTL_DAYS: '91' }, 'LINK_TTL_DAYS'],
    [{ PARTNERSHIP_ID: '' }, 'PARTNERSHIP_ID'],
    [{ IDENTITY_KEY: 'short' }, 'IDENTITY_KEY'],
    [{ EMAIL_TRANSPORT: 'pigeon' }, 'EMAIL_TRANSPORT'],
    [{ SMTP_PORT: '25.5' }, 'SMTP_PORT'],
    [{ SMTP_PORT: 'many' }, 'SMTP_PORT'],
    [{ DYNAMODB_ENDPOINT: 'dynalite' }, 'DYNAMODB_ENDPOINT'],
  ])('refuses %o, naming %s', (bad, variable) => {
    expect(() => parseConfig({ ...REQUIRED, ...bad })).toThrow(
      new Error(`Configuration error: check the environment variables ${variable}`),
    );
  });

  it('names every missing required variable', () => {
    expect(() => parseConfig({})).toThrow(
      new Error(
        'Configuration error: check the environment variables TABLE_NAME, PUBLIC_BASE_URL, SENDER_EMAIL',
      ),
    );
  });
});
