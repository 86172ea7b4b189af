import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIME_TO_LIVE_ATTRIBUTE } from '../../functions/adapters/time-to-live';
import { resourcesOf, synth, type Synthesized } from './synth';

let s: Synthesized;
beforeAll(() => {
  s = synth();
}, 120_000);
afterAll(() => s?.cleanup());

describe('the referral table', () => {
  it('enables DynamoDB TTL on the attribute the store writes on short-lived items', () => {
    const tables = Object.values(resourcesOf(s.statefulTemplate, 'AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(1);
    expect(tables[0]!.Properties?.TimeToLiveSpecification).toEqual({
      AttributeName: TIME_TO_LIVE_ATTRIBUTE,
      Enabled: true,
    });
  });
});
