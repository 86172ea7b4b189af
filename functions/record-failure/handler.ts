import { taskHandler } from '../shared/task-handler';
import { failureTask } from '../shared/task-schemas';
import { recordFailure } from '../phases/closure/closure';

export const handler = taskHandler(failureTask, recordFailure, {});
