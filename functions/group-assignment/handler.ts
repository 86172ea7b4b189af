import { taskHandler } from '../shared/task-handler';
import { humanStepTask } from '../shared/task-schemas';
import { awaitGroup } from '../phases/groups/groups';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(humanStepTask, awaitGroup, {
  email: sesEmail,
  workflow: stepFunctionsWorkflow,
  identityKey: secretsManagerIdentityKey,
});
