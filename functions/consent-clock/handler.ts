import { taskHandler } from '../shared/task-handler';
import { consentClockTask } from '../shared/task-schemas';
import { consentClock } from '../phases/consent/consent-tasks';
import { sesEmail } from '../adapters/email-ses';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(consentClockTask, consentClock, {
  email: sesEmail,
  identityKey: secretsManagerIdentityKey,
});
