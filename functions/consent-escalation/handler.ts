import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../use-cases/workflow-tasks';

export const handler = taskHandler(humanStepTask, (input, deps) =>
  enterHumanStep('consent-escalation', input, deps),
);
