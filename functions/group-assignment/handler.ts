import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { awaitGroup } from '../phases/groups/groups';

export const handler = taskHandler(humanStepTask, awaitGroup);
