/** Demo data: the partnership "Stockholm–Bris" with the 14 districts of 2017, a coordinator and the group settings. */
import { DateTime } from 'luxon';
import {
  DEFAULT_CONSENT_SETTINGS,
  STOCKHOLM_DISTRICTS_2017,
  type Partnership,
} from '../../functions/domain/partnership';
import type { ReferralStore } from '../../functions/ports';
import { DEFAULT_GROUPING_SETTINGS } from '../../functions/domain/grouping';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../functions/domain/follow-up';
import { DEFAULT_SCHEDULE_SETTINGS } from '../../functions/domain/schedule';

export const DEMO_PARTNERSHIP_ID = 'stockholm-bris';

export function demoPartnership(today: Date): Partnership {
  // The committee's partnership ran 2017–2018; the demo keeps its shape but covers today so it accepts referrals.
  const year = DateTime.fromJSDate(today).setZone('Europe/Stockholm').year;
  return {
    id: DEMO_PARTNERSHIP_ID,
    name: 'Stockholm–Bris',
    periodStart: `${year - 1}-01-01`,
    periodEnd: `${year + 1}-12-31`,
    funded: true,
    districts: [...STOCKHOLM_DISTRICTS_2017],
    ageMin: 7,
    ageMax: 18,
    coordinator: { name: 'Samordnare Bris', email: 'samordnare@bris.example' },
    groupCapacity: 8,
    consent: structuredClone(DEFAULT_CONSENT_SETTINGS),
    retentionMonths: 12,
    followUp: structuredClone(DEFAULT_FOLLOW_UP_SETTINGS),
    staff: [
      { email: 'samordnare@bris.example', name: 'Samordnare Bris', role: 'coordinator' },
      {
        email: 'siv@farsta.example',
        name: 'Siv Socialsekreterare',
        role: 'social-worker',
        district: 'Farsta',
      },
      {
        email: 'sara@skarpnack.example',
        name: 'Sara Socialsekreterare',
        role: 'social-worker',
        district: 'Skarpnäck',
      },
      {
        email: 'uppfoljning@stockholm.example',
        name: 'Partnerskapets uppföljning',
        role: 'partnership-admin',
      },
    ],
    groups: {
      grouping: structuredClone(DEFAULT_GROUPING_SETTINGS),
      schedule: structuredClone(DEFAULT_SCHEDULE_SETTINGS),
      premises: { name: 'Bris, Stockholm', address: 'Bris lokaler (adress i kallelsen till familjehemmet)' },
      weeklySlots: [
        { weekday: 2, start: '17:00' },
        { weekday: 4, start: '17:00' },
      ],
    },
  };
}

/** Idempotent: an existing partnership is left as it is. Groups are formed from the pool by the coordinator. */
export async function seedDemoData(store: ReferralStore, today: Date): Promise<void> {
  if (!(await store.getPartnership(DEMO_PARTNERSHIP_ID))) await store.putPartnership(demoPartnership(today));
}
