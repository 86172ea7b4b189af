import { taskHandler } from '../shared/task-handler';
import { groupAttendanceClockTask } from '../shared/task-schemas';
import { attendanceClock } from '../phases/groups/attendance-clock';
import { sesEmail } from '../adapters/email-ses';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(groupAttendanceClockTask, attendanceClock, {
  email: sesEmail,
  identityKey: secretsManagerIdentityKey,
});
