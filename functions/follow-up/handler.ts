import { taskHandler } from '../shared/task-handler';
import { followUpTask } from '../shared/task-schemas';
import { sendFollowUp } from '../use-cases/workflow-tasks';

export const handler = taskHandler(followUpTask, sendFollowUp);
