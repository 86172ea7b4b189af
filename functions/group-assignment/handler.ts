import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { awaitGroup } from '../use-cases/groups';

export const handler = taskHandler(humanStepTask, awaitGroup);
