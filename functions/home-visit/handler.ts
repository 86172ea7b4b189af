import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';
import { HUMAN_STEP_MODULES } from '../phases/human-steps';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

/** The group leader is asked to visit the family home of a child proposed for her group. */
export const handler = taskHandler(
  humanStepTask,
  (input, deps) => enterHumanStep(HUMAN_STEP_MODULES['home-visit'], input, deps),
  { email: sesEmail, workflow: stepFunctionsWorkflow, identityKey: secretsManagerIdentityKey },
);
