/**
 * The human steps with a clock (`TIMED_STEPS`), by name: what the step clock dispatches on. Apart from the
 * full registry (human-steps.ts) so the step-clock function bundles only the steps it can be asked about.
 */
import type { TimedStep } from '../domain/partnership';
import type { HumanStep } from '../kernel/human-step';
import { escalationStep } from './consent/escalation-step';
import { attendanceStep, poolStep } from './groups/group-steps';
import { homeVisitStep } from './groups/home-visit-step';
import { informationRequestStep } from './screening/information-request-step';
import { screeningStep } from './screening/screening-step';

export const TIMED_STEP_MODULES: Record<TimedStep, HumanStep> = {
  screening: screeningStep,
  'information-request': informationRequestStep,
  'consent-escalation': escalationStep,
  'group-assignment': poolStep,
  'home-visit': homeVisitStep,
  attendance: attendanceStep,
};
