/**
 * SES bounces and complaints reach a function at once: every send names the configuration set, whose
 * event destination publishes BOUNCE and COMPLAINT to an encrypted, SSL-only SNS topic that SES (and only
 * for this configuration set) may publish to, and that invokes the email-events function.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { functionLogicalId, resourcesOf, synth, type Synthesized } from './synth';

let s: Synthesized;
beforeAll(() => {
  s = synth({ stage: 'qa' });
}, 120_000);
afterAll(() => s?.cleanup());

/** The topic of SES events (the stack has others: the alarms' topic). */
const eventsTopic = () => {
  const found = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::SNS::Topic')).filter(
    ([, r]) => r.Properties?.TopicName === 'bris-email-events-qa',
  );
  expect(found).toHaveLength(1);
  return found[0]!;
};

const one = (type: string) => {
  const found = Object.entries(resourcesOf(s.statelessTemplate, type));
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('SES bounce and complaint events', () => {
  it('the configuration set sends bounces and complaints, and nothing else, to the topic', () => {
    const [topicId] = eventsTopic();
    const [, destination] = one('AWS::SES::ConfigurationSetEventDestination');
    expect(destination.Properties).toMatchObject({
      ConfigurationSetName: { Ref: expect.stringContaining('ConfigurationSet') },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
  });

  it('the topic is encrypted with a rotated key SES may use only for this configuration set, and refuses plain HTTP', () => {
    const [topicId, topic] = eventsTopic();
    expect(topic.Properties).toMatchObject({
      TopicName: 'bris-email-events-qa',
      KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringContaining('EmailEventsKey'), 'Arn'] },
    });
    const keyId = (topic.Properties!.KmsMasterKeyId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
    const key = resourcesOf(s.statelessTemplate, 'AWS::KMS::Key')[keyId]!;
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true });
    const sesUse = (key.Properties!.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement.filter(
      (st) => JSON.stringify(st.Principal).includes('ses.amazonaws.com'),
    );
    expect(sesUse).toHaveLength(1);
    expect(sesUse[0]).toMatchObject({
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': expect.anything(), 'aws:SourceArn': expect.anything() },
      },
    });
    s.statelessTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('invokes the email-events function, and only it', () => {
    const [topicId] = eventsTopic();
    const subscriptions = Object.values(resourcesOf(s.statelessTemplate, 'AWS::SNS::Subscription')).filter(
      (r) => JSON.stringify(r.Properties?.TopicArn) === JSON.stringify({ Ref: topicId }),
    );
    expect(subscriptions).toHaveLength(1);
    const subscription = subscriptions[0]!;
    expect(subscription.Properties).toMatchObject({
      Protocol: 'lambda',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [functionLogicalId('emailEvents'), 'Arn'] },
    });
    const fn = resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')[functionLogicalId('emailEvents')]!;
    expect(fn.Metadata?.['bris:handler']).toBe('functions/email-events/handler.ts');
    s.statelessTemplate.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topicId },
      FunctionName: { 'Fn::GetAtt': [functionLogicalId('emailEvents'), 'Arn'] },
    });
  });
});
