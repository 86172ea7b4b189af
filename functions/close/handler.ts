import { taskHandler } from '../shared/task-handler';
import { closeTask } from '../shared/task-schemas';
import { closeReferral } from '../use-cases/workflow-tasks';

export const handler = taskHandler(closeTask, closeReferral);
