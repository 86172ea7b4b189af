import { taskHandler } from '../shared/task-handler';
import { consentStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';

export const handler = taskHandler(consentStepTask, (input, deps) => enterHumanStep('consent', input, deps));
