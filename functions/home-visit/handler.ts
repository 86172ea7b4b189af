import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { enterHumanStep } from '../kernel/enter-step';
// Only this step's module, not the registry: the entry bundles one step's page and emails, not all eight.
import { homeVisitStep } from '../phases/groups/home-visit-step';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

/** The group leader is asked to visit the family home of a child proposed for her group. */
export const handler = taskHandler(
  humanStepTask,
  (input, deps) => enterHumanStep(homeVisitStep, input, deps),
  { email: sesEmail, workflow: stepFunctionsWorkflow, identityKey: secretsManagerIdentityKey },
);
