import { taskHandler } from '../shared/task-handler';
import { groupPlacementTask } from '../shared/task-schemas';
import { placeMembers } from '../phases/groups/group-placement';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';

/** A confirmed group's first step: its chosen children placed and their pool waits resumed. */
export const handler = taskHandler(groupPlacementTask, placeMembers, { workflow: stepFunctionsWorkflow });
