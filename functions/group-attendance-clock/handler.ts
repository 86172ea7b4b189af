import { taskHandler } from '../shared/task-handler';
import { groupAttendanceClockTask } from '../shared/task-schemas';
import { attendanceClock } from '../phases/groups/attendance-clock';

export const handler = taskHandler(groupAttendanceClockTask, attendanceClock);
