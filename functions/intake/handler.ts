import { taskHandler } from '../shared/task-handler';
import { referralTask } from '../shared/task-schemas';
import { acceptIntake } from '../phases/intake/accept-intake';
import { sesEmail } from '../adapters/email-ses';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(referralTask, acceptIntake, {
  email: sesEmail,
  identityKey: secretsManagerIdentityKey,
});
