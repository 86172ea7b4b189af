import { taskHandler } from '../shared/task-handler';
import { referralTask } from '../shared/task-schemas';
import { eraseReferral } from '../use-cases/workflow-tasks';

export const handler = taskHandler(referralTask, eraseReferral);
