import { describe, expect, it } from 'vitest';
import { cacheSuccess } from '../../functions/adapters/aws-dependencies';

describe('the identity key fetched from Secrets Manager', () => {
  it('is fetched again after a failure (a throttle), and cached once it succeeded', async () => {
    let calls = 0;
    const fetch = () => {
      calls += 1;
      return calls === 1
        ? Promise.reject(new Error('ThrottlingException: Rate exceeded'))
        : Promise.resolve('the-key');
    };
    const read = cacheSuccess(fetch);
    await expect(read()).rejects.toThrow('ThrottlingException');
    await expect(read()).resolves.toBe('the-key');
    await expect(read()).resolves.toBe('the-key');
    expect(calls).toBe(2);
  });

  it('shares one fetch between concurrent callers', async () => {
    let calls = 0;
    const read = cacheSuccess(() => {
      calls += 1;
      return new Promise<string>((done) => setTimeout(() => done('k'), 5));
    });
    expect(await Promise.all([read(), read(), read()])).toEqual(['k', 'k', 'k']);
    expect(calls).toBe(1);
  });
});
