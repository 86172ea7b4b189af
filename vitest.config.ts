import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for a condition; its default deadline (1 s) is missed on a loaded 2-core machine,
    // where one round trip through the local system can take seconds. Passing polls return at once.
    expect: { poll: { timeout: 30_000, interval: 50 } },
    globalSetup: ['test/global-setup.ts'],
    // The suite signs the same staff in many times a minute; the sign-in email limits are tested on their
    // own (test/integration/send-limits.test.ts passes them explicitly).
    // Likewise the per-client limits on the public POST routes: every file posts from 127.0.0.1
    // (test/integration/client-limits.test.ts passes them explicitly).
    env: { LOCAL_SIGN_IN_LIMITS: 'off', LOCAL_CLIENT_LIMITS: 'off' },
    // Integration and e2e files each start their own local system; keep them from starving each other.
    maxWorkers: 2,
  },
});
