/**
 * Every link purpose's module, by purpose: what the link engine (links/link-engine.ts) and the link
 * pages dispatch on. A human step's link is its step module's (registry human-steps.ts); every other
 * purpose has a link module in its phase. Adding a purpose is adding a module and a line here; the
 * type makes a purpose without one a compile error.
 */
import { HUMAN_STEPS, type StepName } from '../domain/steps';
import type { LinkModule, LinkRegistry } from '../kernel/link-module';
import { stepLinkModule } from '../kernel/step-answers';
import { withdrawalLink } from './closure/withdrawal';
import { questionnaireLink } from './follow-up/questionnaire';
import { attendanceLinks, groupProposalLink } from './groups/group-link-modules';
import { homeVisitTimeLink } from './groups/home-visit-time';
import { HUMAN_STEP_MODULES } from './human-steps';
import { signInLink } from './staff/sign-in-link';

const STEP_LINKS = Object.fromEntries(
  HUMAN_STEPS.map((step) => [step, stepLinkModule(HUMAN_STEP_MODULES[step])]),
) as Record<StepName, LinkModule>;

export const LINK_MODULES: LinkRegistry = {
  ...STEP_LINKS,
  // The group's attendance wait is answered through the group's own link (group-link-modules.ts).
  attendance: { ...STEP_LINKS.attendance, own: attendanceLinks },
  withdrawal: withdrawalLink,
  evaluation: questionnaireLink,
  'group-proposal': groupProposalLink,
  'sign-in': signInLink,
  'home-visit-time': homeVisitTimeLink,
};
