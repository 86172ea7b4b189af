import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';
import { HUMAN_STEP_MODULES } from '../phases/human-steps';

/** The referral waits while its group meets; the group workflow resumes it after the last meeting. */
export const handler = taskHandler(humanStepTask, (input, deps) =>
  enterHumanStep(HUMAN_STEP_MODULES['sessions'], input, deps, { notify: false }),
);
