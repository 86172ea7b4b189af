import { taskHandler } from '../shared/task-handler';
import { groupScheduleTask } from '../shared/task-schemas';
import { scheduleGroup } from '../phases/groups/groups';

export const handler = taskHandler(groupScheduleTask, scheduleGroup, {});
