import { taskHandler } from '../shared/task-handler';
import { groupAttendanceTask } from '../shared/task-schemas';
import { requestAttendance } from '../phases/groups/groups';

export const handler = taskHandler(groupAttendanceTask, requestAttendance);
