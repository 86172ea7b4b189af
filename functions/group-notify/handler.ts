import { taskHandler } from '../shared/task-handler';
import { groupNotifyTask } from '../shared/task-schemas';
import { remindCarers } from '../phases/groups/groups';
import { sesEmail } from '../adapters/email-ses';

/** Reminders before a meeting (the schedule goes to each family home when its seat is confirmed). */
export const handler = taskHandler(groupNotifyTask, (input, deps) => remindCarers(input, deps), {
  email: sesEmail,
});
