import { taskHandler } from '../shared/task-handler';
import { followUpTask } from '../shared/task-schemas';
import { sendFollowUp } from '../phases/follow-up/follow-up';

export const handler = taskHandler(followUpTask, sendFollowUp);
