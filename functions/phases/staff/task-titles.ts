/** What each inbox task asks for, in the signed-in person's language. */
import type { Proposal } from '../../domain/grouping';
import type { Language } from '../../domain/referral';
import { weeklyGroupEn, weeklyGroupSv } from '../groups/proposal-words';

/** An age band as the pages write it: `7-9` → `7–9 år` / `7–9 years`. */
const band = (label: string, years: string) => `${label.replace('-', '–')} ${years}`;

const SV = {
  screening: (_slot?: number) => 'Bedöm anmälan',
  'information-request': (_slot?: number) => 'Komplettera anmälan: Bris behöver fler uppgifter',
  escalatedInformationRequest: 'Försenad komplettering: bedöm anmälan med de uppgifter som finns',
  consent: (slot?: number) => `Registrera samtycke från blankett (vårdnadshavare ${slot})`,
  'consent-escalation': (_slot?: number) => 'Samtycke saknas: bestäm hur anmälan går vidare',
  escalatedToCoordinator: 'Försenat hos socialsekreteraren: samtycke saknas, besked väntas',
  'home-visit': (_slot?: number) => 'Hembesök före gruppen: registrera besöket',
  pool: (ageBand: string, waiting: number, suggestion?: Proposal) =>
    `Bilda grupp ${band(ageBand, 'år')}: ${waiting} barn väntar, ${
      suggestion
        ? `förslag: ${suggestion.format === 'weekly' ? weeklyGroupSv(suggestion.district) : 'stödhelg'} med ${suggestion.members.length} barn`
        : 'inget förslag än'
    }`,
  attendance: (meeting?: number) => `Registrera närvaro, träff ${meeting}`,
};

const children = (n: number) => `${n} ${n === 1 ? 'child' : 'children'}`;

const EN: typeof SV = {
  screening: () => 'Screen the referral',
  'information-request': () => 'Add information to the referral: Bris needs more',
  escalatedInformationRequest: 'Overdue information: screen the referral as it stands',
  consent: (slot?: number) => `Record consent from a paper form (custodian ${slot})`,
  'consent-escalation': () => 'Consent missing: decide how the referral goes on',
  escalatedToCoordinator: 'Overdue with the social worker: consent missing, a decision awaited',
  'home-visit': () => 'Home visit before the group: record the visit',
  pool: (ageBand: string, waiting: number, suggestion?: Proposal) =>
    `Form a group ${band(ageBand, 'years')}: ${children(waiting)} waiting, ${
      suggestion
        ? `proposal: ${suggestion.format === 'weekly' ? weeklyGroupEn(suggestion.district) : 'support weekend'} with ${children(suggestion.members.length)}`
        : 'no proposal yet'
    }`,
  attendance: (meeting?: number) => `Record attendance, meeting ${meeting}`,
};

export const TASK_TITLES: Record<Language, typeof SV> = { sv: SV, en: EN };
