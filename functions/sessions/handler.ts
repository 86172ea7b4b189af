import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { enterSessions } from '../phases/groups/groups';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

/**
 * The referral waits while its group meets; the group workflow resumes it after the last meeting. Entering
 * the wait tells the social worker of the placement (once).
 */
export const handler = taskHandler(humanStepTask, enterSessions, {
  email: sesEmail,
  workflow: stepFunctionsWorkflow,
  identityKey: secretsManagerIdentityKey,
});
