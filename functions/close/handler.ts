import { taskHandler } from '../shared/task-handler';
import { closeTask } from '../shared/task-schemas';
import { closeReferral } from '../phases/closure/closure';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';

export const handler = taskHandler(closeTask, closeReferral, {
  email: sesEmail,
  workflow: stepFunctionsWorkflow,
});
