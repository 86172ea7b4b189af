import { taskHandler } from '../shared/task-handler';
import { referralTask } from '../shared/task-schemas';
import { planConsent } from '../phases/consent/consent-tasks';

export const handler = taskHandler(referralTask, planConsent);
