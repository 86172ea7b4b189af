/** Every human step, by name: what the kernel's step entry and link engine dispatch on. */
import type { StepRegistry } from '../kernel/human-step';
import { consentStep } from './consent/consent-step';
import { escalationStep } from './consent/escalation-step';
import { attendanceStep, poolStep, sessionsStep } from './groups/group-steps';
import { homeVisitStep } from './groups/home-visit-step';
import { informationRequestStep } from './screening/information-request-step';
import { screeningStep } from './screening/screening-step';

export const HUMAN_STEP_MODULES: StepRegistry = {
  screening: screeningStep,
  'information-request': informationRequestStep,
  consent: consentStep,
  'consent-escalation': escalationStep,
  'group-assignment': poolStep,
  'home-visit': homeVisitStep,
  sessions: sessionsStep,
  attendance: attendanceStep,
};
