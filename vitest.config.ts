import { configDefaults, defineConfig } from 'vitest/config';

const INFRA = 'test/infra/**/*.test.ts';
const UNIT = 'test/unit/**/*.test.ts';
const INTEGRATION = 'test/integration/**/*.test.ts';

export default defineConfig({
  test: {
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
    projects: [
      {
        extends: true,
        // The CDK app's first synth in a process takes ~5 s (aws-cdk-lib loads its modules lazily and V8
        // warms up), the next ones ~0.5–1 s. The infra files only read what they synthesize and restore
        // what they change (environment.test.ts its CDK_DEFAULT_*), so they share their workers' module
        // cache instead of each paying the first synth again.
        test: { name: 'infra', include: [INFRA], isolate: false },
      },
      {
        extends: true,
        // Pure rules and use cases on in-memory fakes: each file builds its own fakes, and the two that set
        // TZ put it back. Most of an isolated unit file's time was importing the same modules again.
        test: { name: 'unit', include: [UNIT], isolate: false },
      },
      {
        extends: true,
        test: { name: 'integration', include: [INTEGRATION], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, INFRA, UNIT, INTEGRATION],
        },
      },
    ],
  },
});
