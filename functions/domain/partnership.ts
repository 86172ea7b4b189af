/** A partnership (IOP) between the city and Bris: data, not code. */
import type { FollowUpSettings } from './follow-up';
import type { GroupingSettings } from './grouping';
import type { Meeting, ScheduleSettings, WeeklySlot } from './schedule';

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
  consent: ConsentSettings;
  /** How long personal data is kept after a referral closes (shown on the consent page). */
  retentionMonths: number;
  groups: GroupSettings;
  followUp: FollowUpSettings;
  /** Who may sign in to the staff pages (allow-list), with their role. */
  staff: StaffMember[];
}

export type StaffRole = 'coordinator' | 'social-worker' | 'partnership-admin';

export interface StaffMember {
  email: string;
  name: string;
  role: StaffRole;
  /** Social workers see only their own district's referrals. */
  district?: string;
}

/** Groups and meetings: all partnership data (the groups issue builds the workflow that uses them). */
export interface GroupSettings {
  grouping: GroupingSettings;
  schedule: ScheduleSettings;
  premises: { name: string; address: string };
  weeklySlots: WeeklySlot[];
}

export interface ConsentSettings {
  /** Days after the request when a silent custodian is reminded. */
  reminderDays: number[];
  /** Days after the request when the social worker is asked what to do. */
  deadlineDays: number;
  /** Days an extension adds, counted from the social worker's choice. */
  extensionDays: number;
  /** Days the social worker has to answer an escalation before the referral needs attention. */
  escalationAnswerDays: number;
  committeeDecisionCitation: string;
  /** A child of `fromAge` or more may consent alone to an open intervention, where the law and the partnership allow it. */
  childConsent: { allowed: boolean; fromAge: number; citation: string };
}

export const DEFAULT_CONSENT_SETTINGS: ConsentSettings = {
  reminderDays: [3, 7],
  deadlineDays: 14,
  extensionDays: 14,
  escalationAnswerDays: 14,
  committeeDecisionCitation: 'Föräldrabalken 6 kap. 13 a §',
  childConsent: {
    allowed: false,
    fromAge: 12,
    // The Social Services Act was replaced on 2025-07-01; the citation is configuration so it can follow the law.
    citation: 'Socialtjänstlagen (2025:400): barn som fyllt 12 år får själv samtycka till öppna insatser',
  },
};

export interface Group {
  partnershipId: string;
  groupId: string;
  name: string;
  format: 'weekly' | 'weekend';
  ageBand: string;
  /** `cancelled`: a confirmation that did not take (its link was used by another, or no child was free). */
  status: 'forming' | 'running' | 'completed' | 'cancelled';
  capacity: number;
  memberCount: number;
  /** Weekly groups meet in this slot; set when the coordinator confirms the group. */
  slot?: WeeklySlot;
  startDate?: string;
  meetings?: Meeting[];
  confirmedAt?: string;
  /**
   * What the coordinator confirmed, recorded before any child is placed: a confirmation cut off half-way
   * (a crash, a Lambda timeout) is finished from it, on restart or when the coordinator sends the form again.
   */
  confirmation?: { members: string[]; by: string; linkHash: string };
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
