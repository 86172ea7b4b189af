/** Demo data: the partnership "Stockholm–Bris" with the 14 districts of 2017, a coordinator and forming groups. */
import { DateTime } from 'luxon';
import {
  DEFAULT_CONSENT_SETTINGS,
  STOCKHOLM_DISTRICTS_2017,
  type Group,
  type Partnership,
} from '../../functions/domain/partnership';
import type { ReferralStore } from '../../functions/ports';
import { DEFAULT_GROUPING_SETTINGS } from '../../functions/domain/grouping';
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

export function demoGroups(): Group[] {
  const base = {
    partnershipId: DEMO_PARTNERSHIP_ID,
    status: 'forming' as const,
    capacity: 8,
    memberCount: 0,
  };
  return [
    {
      ...base,
      groupId: 'vecka-7-9-sodermalm',
      name: 'Veckogrupp 7–9 år, Södermalm',
      format: 'weekly',
      ageBand: '7-9',
      leader: { name: 'Gruppledare Anna', email: 'gruppledare.anna@bris.example' },
    },
    {
      ...base,
      groupId: 'vecka-10-12-kista',
      name: 'Veckogrupp 10–12 år, Kista',
      format: 'weekly',
      ageBand: '10-12',
      leader: { name: 'Gruppledare Omar', email: 'gruppledare.omar@bris.example' },
    },
    { ...base, groupId: 'helg-13-15', name: 'Stödhelg 13–15 år', format: 'weekend', ageBand: '13-15' },
    { ...base, groupId: 'helg-16-18', name: 'Stödhelg 16–18 år', format: 'weekend', ageBand: '16-18' },
  ];
}

/** Idempotent: an existing partnership or group is left as it is (keeps member counts across restarts). */
export async function seedDemoData(store: ReferralStore, today: Date): Promise<void> {
  if (!(await store.getPartnership(DEMO_PARTNERSHIP_ID))) await store.putPartnership(demoPartnership(today));
  const existing = new Set((await store.listGroups(DEMO_PARTNERSHIP_ID)).map((g) => g.groupId));
  for (const g of demoGroups()) if (!existing.has(g.groupId)) await store.putGroup(g);
}
