import { taskHandler } from '../shared/task-handler';
import { followUpTask } from '../shared/task-schemas';
import { sendFollowUp } from '../phases/follow-up/follow-up';
import { sesEmail } from '../adapters/email-ses';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(followUpTask, sendFollowUp, {
  email: sesEmail,
  identityKey: secretsManagerIdentityKey,
});
