/** `npm start`: the whole system on this machine. Options via environment: PORT, FAST_FORWARD, DATA_DIR. */
import { join } from 'node:path';
import { REPO_ROOT, startLocalSystem } from './system';

const system = await startLocalSystem({
  port: Number(process.env.PORT ?? 3000),
  smtpPort: Number(process.env.SMTP_PORT ?? 2525),
  dataDir: process.env.DATA_DIR ?? join(REPO_ROOT, '.data', 'local'),
  fastForward: Number(process.env.FAST_FORWARD ?? 720),
  demoReferrals: process.env.DEMO_REFERRALS !== '0',
});

console.log(`
  Bris stödgrupper körs lokalt.
    Anmälningsformulär:  ${system.url}/
    Brevlåda (mejl):     ${system.url}/dev/mailbox
    Mätvärden:           ${system.url}/dev/metrics
    Personal:            ${system.url}/staff  (logga in som samordnare@bris.example, siv@farsta.example
                         eller uppfoljning@stockholm.example; länken kommer till brevlådan)
  Tiden går ${system.clock.factor} gånger fortare (ett dygn ≈ ${(86_400 / system.clock.factor / 60).toFixed(1)} min);
  brevlådan har en knapp som spolar fram klockan flera dagar i taget.
  Avsluta med Ctrl+C.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    system.stop().then(() => process.exit(0));
  });
}
