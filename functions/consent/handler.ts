import { taskHandler } from '../shared/task-handler';
import { consentStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';
import { HUMAN_STEP_MODULES } from '../phases/human-steps';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(
  consentStepTask,
  (input, deps) => enterHumanStep(HUMAN_STEP_MODULES['consent'], input, deps),
  { email: sesEmail, workflow: stepFunctionsWorkflow, identityKey: secretsManagerIdentityKey },
);
