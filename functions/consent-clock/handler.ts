import { taskHandler } from '../shared/task-handler';
import { consentClockTask } from '../shared/task-schemas';
import { consentClock } from '../use-cases/workflow-tasks';

export const handler = taskHandler(consentClockTask, consentClock);
