/**
 * Demo referrals for `npm start`: a handful of children in different phases, driven through the real
 * workflow (form use case, then the links in the local mailbox), so the overview and the report have
 * something to show. Runs once per data directory. Names and identity numbers are made up.
 */
import { randomBytes } from 'node:crypto';
import type { Dependencies } from '../../functions/ports';
import { redeemLink } from '../../functions/phases/links/link-engine';
import { LINK_MODULES } from '../../functions/phases/link-modules';
import { submitReferral } from '../../functions/phases/intake/submit-referral';
import { linksIn, type Mailbox } from './mailbox';
import { childIdentityNumber } from './simulated-people';

interface DemoChild {
  firstName: string;
  /** Age on the local clock's date when the demo is seeded (its identity number is made up from it). */
  age: number;
  district: string;
  /** How far the demo takes it. */
  upTo: 'screening' | 'declined' | 'consent' | 'refused' | 'pool';
}

// Children aged 8–17 whatever the date: valid (Luhn-checked) made-up identity numbers are computed from the clock.
export const DEMO_CHILDREN: DemoChild[] = [
  { firstName: 'Alma', age: 11, district: 'Farsta', upTo: 'pool' },
  { firstName: 'Elis', age: 13, district: 'Farsta', upTo: 'pool' },
  { firstName: 'Noor', age: 9, district: 'Farsta', upTo: 'consent' },
  { firstName: 'Vide', age: 16, district: 'Skarpnäck', upTo: 'pool' },
  { firstName: 'Saga', age: 8, district: 'Skarpnäck', upTo: 'refused' },
  { firstName: 'Leo', age: 17, district: 'Bromma', upTo: 'declined' },
  { firstName: 'Ines', age: 10, district: 'Bromma', upTo: 'screening' },
  { firstName: 'Malte', age: 15, district: 'Kungsholmen', upTo: 'pool' },
];

async function answer(
  deps: Dependencies,
  mailbox: Mailbox,
  match: (m: { template: string; text: string; to: string[] }) => boolean,
  body: Record<string, string>,
) {
  const mail = await mailbox.waitFor(match, { timeoutMs: 20_000 });
  const token = new URL(linksIn(mail)[0]!).pathname.split('/').pop()!;
  await redeemLink(token, body, deps, LINK_MODULES);
}

export async function seedDemoReferrals(
  deps: Dependencies,
  mailbox: Mailbox,
  log: (m: string) => void,
): Promise<void> {
  // Once per data directory: the marker is an item in the (on-disk) table, claimed before the first child.
  // The claim is an object, never falsy: its `claimed` says whether this start is the first.
  const marker = await deps.store.claimNotification(
    'demo',
    'referrals-seeded',
    deps.clock.now().toISOString(),
  );
  if (!marker.claimed) return;
  for (const [i, c] of DEMO_CHILDREN.entries()) {
    const custodian = `vardnadshavare.${c.firstName.toLowerCase()}@demo.example`;
    const result = await submitReferral(
      {
        idempotencyKey: `demo-${randomBytes(12).toString('hex')}`,
        district: c.district,
        childFirstName: c.firstName,
        identityNumber: childIdentityNumber({
          age: c.age,
          at: deps.clock.now(),
          serial: 100 + i,
          minDaysToBirthday: 60,
        }),
        childWish: 'on',
        socialWorkerName: c.district === 'Farsta' ? 'Siv Socialsekreterare' : 'Sara Socialsekreterare',
        socialWorkerEmail: c.district === 'Farsta' ? 'siv@farsta.example' : 'sara@skarpnack.example',
        custodian1Name: `Vårdnadshavare ${c.firstName}`,
        custodian1Contact: 'email',
        custodian1Email: custodian,
        custodian1Language: i % 4 === 3 ? 'en' : 'sv',
        carerName: `Familjehem ${c.firstName}`,
        carerEmail: `familjehem.${c.firstName.toLowerCase()}@demo.example`,
      },
      deps,
    );
    if (result.kind !== 'accepted') continue;
    const id = result.referralId;
    if (c.upTo === 'screening') continue;
    const screening = (m: { template: string; text: string }) =>
      m.template === 'screening-request' && m.text.includes(id);
    if (c.upTo === 'declined') {
      await answer(deps, mailbox, screening, {
        action: 'decline',
        reason: 'Barnet får redan stöd i en annan grupp.',
      });
      continue;
    }
    await answer(deps, mailbox, screening, { action: 'approve' });
    if (c.upTo === 'consent') continue;
    const consent = (m: { template: string; to: string[] }) =>
      m.template === 'consent-request' && m.to.includes(custodian);
    await answer(deps, mailbox, consent, { action: c.upTo === 'refused' ? 'refuse' : 'consent' });
  }
  await deps.store.markNotificationSent('demo', 'referrals-seeded');
  log(`seeded ${DEMO_CHILDREN.length} demo referrals`);
}
