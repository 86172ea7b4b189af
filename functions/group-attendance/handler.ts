import { taskHandler } from '../shared/task-handler';
import { groupAttendanceTask } from '../shared/task-schemas';
import { requestAttendance } from '../phases/groups/groups';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(groupAttendanceTask, requestAttendance, {
  email: sesEmail,
  workflow: stepFunctionsWorkflow,
  identityKey: secretsManagerIdentityKey,
});
