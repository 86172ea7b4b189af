import { stepClock } from '../kernel/step-clock';
import { HUMAN_STEP_MODULES } from '../phases/human-steps';
import { taskHandler } from '../shared/task-handler';
import { stepClockTask } from '../shared/task-schemas';

export const handler = taskHandler(stepClockTask, ({ step, ...input }, deps) =>
  stepClock(HUMAN_STEP_MODULES[step], input, deps),
);
