import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';
// Only this step's module, not the registry: the entry bundles one step's page and emails, not all eight.
import { escalationStep } from '../phases/consent/escalation-step';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(
  humanStepTask,
  (input, deps) => enterHumanStep(escalationStep, input, deps),
  { email: sesEmail, workflow: stepFunctionsWorkflow, identityKey: secretsManagerIdentityKey },
);
