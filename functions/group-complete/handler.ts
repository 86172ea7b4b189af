import { taskHandler } from '../shared/task-handler';
import { groupTask } from '../shared/task-schemas';
import { completeGroup } from '../phases/groups/groups';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';

export const handler = taskHandler(groupTask, completeGroup, { workflow: stepFunctionsWorkflow });
