import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';

export const handler = taskHandler(humanStepTask, (input, deps) =>
  enterHumanStep('consent-escalation', input, deps),
);
