import { taskHandler } from '../shared/task-handler';
import { groupFailureTask } from '../shared/task-schemas';
import { recordGroupFailure } from '../phases/groups/group-retry';
import { sesEmail } from '../adapters/email-ses';

export const handler = taskHandler(groupFailureTask, recordGroupFailure, { email: sesEmail });
