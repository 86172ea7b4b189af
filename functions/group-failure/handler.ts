import { taskHandler } from '../shared/task-handler';
import { groupFailureTask } from '../shared/task-schemas';
import { recordGroupFailure } from '../use-cases/groups';

export const handler = taskHandler(groupFailureTask, recordGroupFailure);
