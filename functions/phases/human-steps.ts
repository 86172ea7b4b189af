/**
 * Every human step, by name: what the kernel's step entry and link engine dispatch on. A step module holds
 * no page; its page is joined to it here, so the functions that enter a step or run its clock (which
 * import the step module alone) bundle no page, and the link and staff functions (through this registry)
 * show every one.
 */
import type { StepRegistry } from '../kernel/human-step';
import { consentPage } from './consent/consent-page';
import { consentStep } from './consent/consent-step';
import { escalationPage } from './consent/escalation-page';
import { escalationStep } from './consent/escalation-step';
import { attendanceStep, poolStep, sessionsStep } from './groups/group-steps';
import { homeVisitPage } from './groups/home-visit-page';
import { homeVisitStep } from './groups/home-visit-step';
import { informationRequestPage } from './screening/information-request-page';
import { informationRequestStep } from './screening/information-request-step';
import { screeningPage } from './screening/screening-page';
import { screeningStep } from './screening/screening-step';

export const HUMAN_STEP_MODULES: StepRegistry = {
  screening: { ...screeningStep, page: screeningPage },
  'information-request': { ...informationRequestStep, page: informationRequestPage },
  consent: { ...consentStep, page: consentPage },
  'consent-escalation': { ...escalationStep, page: escalationPage },
  'group-assignment': poolStep,
  'home-visit': { ...homeVisitStep, page: homeVisitPage },
  sessions: sessionsStep,
  attendance: attendanceStep,
};
