import { taskHandler } from '../shared/task-handler';
import { consentStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';
import { HUMAN_STEP_MODULES } from '../phases/human-steps';

export const handler = taskHandler(consentStepTask, (input, deps) =>
  enterHumanStep(HUMAN_STEP_MODULES['consent'], input, deps),
);
