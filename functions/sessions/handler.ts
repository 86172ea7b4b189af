import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';

/** The referral waits while its group meets; the group workflow resumes it after the last meeting. */
export const handler = taskHandler(humanStepTask, (input, deps) =>
  enterHumanStep('sessions', input, deps, { notify: false }),
);
