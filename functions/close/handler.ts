import { taskHandler } from '../shared/task-handler';
import { closeTask } from '../shared/task-schemas';
import { closeReferral } from '../phases/closure/closure';

export const handler = taskHandler(closeTask, closeReferral);
