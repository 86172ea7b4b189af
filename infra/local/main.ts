/**
 * `npm start`: the whole system on this machine. Options via environment: PORT, FAST_FORWARD, DATA_DIR.
 * The clock runs in real time unless FAST_FORWARD says otherwise (`FAST_FORWARD=720 npm start`: a day in
 * two minutes); the mailbox page moves it forward by an hour, a day or a week when the person wants to.
 */
import { npmStartOptions } from './start-options';
import { startLocalSystem } from './system';

const system = await startLocalSystem(npmStartOptions(process.env));

console.log(`
  Bris stödgrupper körs lokalt.
    Anmälningsformulär:  ${system.url}/
    Brevlåda (mejl):     ${system.url}/dev/mailbox
    Mätvärden:           ${system.url}/dev/metrics
    Personal:            ${system.url}/staff  (logga in som samordnare@bris.example, siv@farsta.example
                         eller uppfoljning@stockholm.example; länken kommer till brevlådan)
  ${
    system.clock.factor === 1
      ? 'Klockan går i verklig tid. Brevlådan har knappar som flyttar den en timme, ett dygn eller en vecka framåt\n  (eller FAST_FORWARD=720 npm start: ett dygn på två minuter).'
      : `Tiden går ${system.clock.factor} gånger fortare (ett dygn ≈ ${(86_400 / system.clock.factor / 60).toFixed(1)} min);\n  brevlådan har knappar som flyttar klockan framåt.`
  }
  Inloggningslänkar gäller 15 minuter i verklig tid, hur klockan än går.
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
