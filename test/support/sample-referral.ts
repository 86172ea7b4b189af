/** One plausible referral for use-case tests on the memory store: a ten-year-old in Farsta, one custodian. */
import type { Referral } from '../../functions/domain/referral';

export function sampleReferral(at: number, overrides: Partial<Referral> = {}): Referral {
  return {
    referralId: 'R-SAMPLE-0001',
    partnershipId: 'stockholm-bris',
    district: 'Farsta',
    createdAt: new Date(at).toISOString(),
    updatedAt: new Date(at).toISOString(),
    phase: 'intake',
    status: 'active',
    child: {
      firstName: 'Fanny',
      birthDate: '2016-03-12',
      ageAtReferral: 10,
      ageBand: '10-12',
      protectedIdentity: false,
    },
    identityHash: 'e'.repeat(64),
    socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
    custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
    carer: { name: 'Fia', email: 'fia@example.org' },
    childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(at).toISOString() },
    consentBasisRequested: 'custodians',
    custodianMaySeeSchedule: false,
    ...overrides,
  };
}
