import { taskHandler } from '../shared/task-handler';
import { consentClockTask } from '../shared/task-schemas';
import { consentClock } from '../phases/consent/consent-tasks';

export const handler = taskHandler(consentClockTask, consentClock);
