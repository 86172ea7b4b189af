/**
 * Demo referrals for `npm start`: a handful of children in different phases, driven through the real
 * workflow (form use case, then the links in the local mailbox), so the overview and the report have
 * something to show. Runs once per data directory. Names and identity numbers are made up.
 */
import { randomBytes } from 'node:crypto';
import type { Dependencies } from '../../functions/ports';
import { redeemLink } from '../../functions/use-cases/links';
import { submitReferral } from '../../functions/use-cases/submit-referral';
import { linksIn, type Mailbox } from './mailbox';

interface DemoChild {
  firstName: string;
  identityNumber: string;
  district: string;
  /** How far the demo takes it. */
  upTo: 'screening' | 'declined' | 'consent' | 'refused' | 'pool';
}

// Valid (Luhn-checked) made-up identity numbers of children aged 8–16 in 2026.
export const DEMO_CHILDREN: DemoChild[] = [
  { firstName: 'Alma', identityNumber: '20150312-1236', district: 'Farsta', upTo: 'pool' },
  { firstName: 'Elis', identityNumber: '20130613-1234', district: 'Farsta', upTo: 'pool' },
  { firstName: 'Noor', identityNumber: '20170505-1231', district: 'Farsta', upTo: 'consent' },
  { firstName: 'Vide', identityNumber: '20100101-1236', district: 'Skarpnäck', upTo: 'pool' },
  { firstName: 'Saga', identityNumber: '20190101-1237', district: 'Skarpnäck', upTo: 'refused' },
  { firstName: 'Leo', identityNumber: '20080808-1236', district: 'Bromma', upTo: 'declined' },
  { firstName: 'Ines', identityNumber: '20160229-1237', district: 'Bromma', upTo: 'screening' },
  { firstName: 'Malte', identityNumber: '20110707-1233', district: 'Kungsholmen', upTo: 'pool' },
];

async function answer(
  deps: Dependencies,
  mailbox: Mailbox,
  match: (m: { template: string; text: string; to: string[] }) => boolean,
  body: Record<string, string>,
) {
  const mail = await mailbox.waitFor(match, { timeoutMs: 20_000 });
  const token = linksIn(mail)[0]!.split('/links/')[1]!;
  await redeemLink(token, body, deps);
}

export async function seedDemoReferrals(
  deps: Dependencies,
  mailbox: Mailbox,
  log: (m: string) => void,
): Promise<void> {
  if (!(await deps.store.claimNotification('demo', 'referrals-seeded', deps.clock.now().toISOString())))
    return;
  for (const [i, c] of DEMO_CHILDREN.entries()) {
    const custodian = `vardnadshavare.${c.firstName.toLowerCase()}@demo.example`;
    const result = await submitReferral(
      {
        idempotencyKey: `demo-${randomBytes(12).toString('hex')}`,
        district: c.district,
        childFirstName: c.firstName,
        identityNumber: c.identityNumber,
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
  log(`seeded ${DEMO_CHILDREN.length} demo referrals`);
}
