import { stepClock } from '../kernel/step-clock';
import { TIMED_STEP_MODULES } from '../phases/timed-steps';
import { taskHandler } from '../shared/task-handler';
import { stepClockTask } from '../shared/task-schemas';
import { sesEmail } from '../adapters/email-ses';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(
  stepClockTask,
  ({ step, ...input }, deps) => stepClock(TIMED_STEP_MODULES[step], input, deps),
  { email: sesEmail, identityKey: secretsManagerIdentityKey },
);
