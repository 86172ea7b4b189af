import { taskHandler } from '../shared/task-handler';
import { groupNotifyTask } from '../shared/task-schemas';
import { remindCarers, sendSchedule } from '../phases/groups/groups';

export const handler = taskHandler(groupNotifyTask, (input, deps) =>
  input.op === 'schedule' ? sendSchedule(input, deps) : remindCarers(input, deps),
);
