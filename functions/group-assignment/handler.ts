import { taskHandler } from '../shared/task-handler';
import { poolWaitTask } from '../shared/task-schemas';
import { awaitGroup } from '../phases/groups/groups';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

export const handler = taskHandler(poolWaitTask, awaitGroup, {
  email: sesEmail,
  workflow: stepFunctionsWorkflow,
  identityKey: secretsManagerIdentityKey,
});
