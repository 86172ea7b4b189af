import { taskHandler } from '../shared/task-handler';
import { groupTask } from '../shared/task-schemas';
import { completeGroup } from '../phases/groups/groups';

export const handler = taskHandler(groupTask, completeGroup);
