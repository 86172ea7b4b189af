import { taskHandler } from '../shared/task-handler';
import { failureTask } from '../shared/task-schemas';
import { recordFailure } from '../use-cases/workflow-tasks';

export const handler = taskHandler(failureTask, recordFailure);
