import { taskHandler } from '../shared/task-handler';
import { referralTask } from '../shared/task-schemas';
import { acceptIntake } from '../phases/intake/accept-intake';

export const handler = taskHandler(referralTask, acceptIntake);
