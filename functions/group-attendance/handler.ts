import { taskHandler } from '../shared/task-handler';
import { groupAttendanceTask } from '../shared/task-schemas';
import { requestAttendance } from '../use-cases/groups';

export const handler = taskHandler(groupAttendanceTask, requestAttendance);
