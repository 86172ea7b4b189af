import { taskHandler } from '../shared/task-handler';
import { referralTask } from '../shared/task-schemas';
import { planConsent } from '../use-cases/workflow-tasks';

export const handler = taskHandler(referralTask, planConsent);
