import { taskHandler } from '../shared/task-handler';
import { consentStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../use-cases/workflow-tasks';

export const handler = taskHandler(consentStepTask, (input, deps) => enterHumanStep('consent', input, deps));
