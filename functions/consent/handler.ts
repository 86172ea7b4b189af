import { taskHandler } from '../shared/task-handler';
import { consentStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';
// Only this step's module, not the registry: the entry bundles one step's page and emails, not all eight.
import { consentStep } from '../phases/consent/consent-step';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(
  consentStepTask,
  (input, deps) => enterHumanStep(consentStep, input, deps),
  { email: sesEmail, workflow: stepFunctionsWorkflow, identityKey: secretsManagerIdentityKey },
);
