/**
 * The settings `npm start` runs with, from its environment: one place, so a test can start the system
 * exactly as a newcomer does (infra/local/main.ts reads `process.env` through it).
 */
import { join } from 'node:path';
import { SIGN_IN_EMAIL_LIMITS } from '../../functions/domain/send-limits';
import { REPO_ROOT } from './synth';
import type { LocalSystemOptions } from './system';

export function npmStartOptions(env: Readonly<Record<string, string | undefined>>): LocalSystemOptions {
  return {
    port: Number(env.PORT ?? 3000),
    smtpPort: Number(env.SMTP_PORT ?? 2525),
    dataDir: env.DATA_DIR ?? join(REPO_ROOT, '.data', 'local'),
    // Real time: a person reads, clicks and signs in at her own speed. `FAST_FORWARD=720`: a day in two minutes.
    fastForward: Number(env.FAST_FORWARD ?? 1),
    demoReferrals: env.DEMO_REFERRALS !== '0',
    signInEmailLimits: env.LOCAL_SIGN_IN_LIMITS === 'off' ? [] : SIGN_IN_EMAIL_LIMITS,
  };
}
