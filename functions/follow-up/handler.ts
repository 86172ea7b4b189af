import { taskHandler } from '../shared/task-handler';
import { referralTask } from '../shared/task-schemas';
import { sendFollowUp } from '../use-cases/workflow-tasks';

export const handler = taskHandler(referralTask, sendFollowUp);
