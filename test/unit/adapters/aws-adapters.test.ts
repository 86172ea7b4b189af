/**
 * A function's AWS adapters are the ones its handler gives (each bundle holds only those SDK clients):
 * a port used without its adapter fails at once with what to add, before any AWS request.
 */
import { describe, expect, it } from 'vitest';
import { buildAwsDependencies } from '../../../functions/adapters/aws-dependencies';
import { parseConfig } from '../../../functions/shared/config';

const config = parseConfig({
  TABLE_NAME: 'bris-referrals',
  PUBLIC_BASE_URL: 'https://stodgrupper.example.org',
  SENDER_EMAIL: 'stodgrupper@example.org',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-north-1:123456789012:stateMachine:Referral',
});

describe('a function built with no SES or Step Functions adapter', () => {
  const deps = buildAwsDependencies(config, {});

  it('refuses to send email, naming the adapter and the catalog flag', async () => {
    await expect(
      deps.email.send({
        to: 'a@example.org',
        subject: 's',
        text: 't',
        html: 'h',
        template: 't',
        language: 'sv',
      }),
    ).rejects.toThrow(/sesEmail.*sendsEmail/);
  });

  it('refuses to start or resume a workflow, naming the adapter and the catalog flag', async () => {
    await expect(deps.workflow.startReferral('R-ABCD-EFGH')).rejects.toThrow(
      /stepFunctionsWorkflow.*starts or callbacks/,
    );
    await expect(deps.workflow.sendTaskSuccess('token', {})).rejects.toThrow(/stepFunctionsWorkflow/);
  });
});
