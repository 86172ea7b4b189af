import { taskHandler } from '../shared/task-handler';
import { referralTask } from '../shared/task-schemas';
import { planConsent } from '../phases/consent/consent-tasks';
import { sesEmail } from '../adapters/email-ses';

export const handler = taskHandler(referralTask, planConsent, { email: sesEmail });
