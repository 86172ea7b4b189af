/** A partnership (IOP) between the city and Bris: data, not code. */
export interface Partnership {
  id: string;
  name: string;
  /** Inclusive ISO dates, Europe/Stockholm calendar. */
  periodStart: string;
  periodEnd: string;
  funded: boolean;
  districts: string[];
  ageMin: number;
  ageMax: number;
  coordinator: { name: string; email: string };
  groupCapacity: number;
}

export interface Group {
  partnershipId: string;
  groupId: string;
  name: string;
  format: 'weekly' | 'weekend';
  ageBand: string;
  status: 'forming' | 'running' | 'completed';
  capacity: number;
  memberCount: number;
  /** Bris group leader who reports on the group; the coordinator when unset. */
  leader?: { name: string; email: string };
}

/** The 14 districts (stadsdelsområden) of 2017; since 2020-07-01 a partnership may list 13. */
export const STOCKHOLM_DISTRICTS_2017 = [
  'Rinkeby-Kista',
  'Spånga-Tensta',
  'Hässelby-Vällingby',
  'Bromma',
  'Kungsholmen',
  'Norrmalm',
  'Östermalm',
  'Södermalm',
  'Enskede-Årsta-Vantör',
  'Skarpnäck',
  'Farsta',
  'Älvsjö',
  'Hägersten-Liljeholmen',
  'Skärholmen',
] as const;
