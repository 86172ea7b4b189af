/**
 * Middy wiring for workflow task handlers: validate the task input with zod, run the use case,
 * and turn transient AWS failures into Referral.Transient so the state machine's Retry applies.
 * Every invocation logs with its referral (or group), execution and step as keys, a line when it starts
 * and ends, and flushes its metrics (see `invocation-log`).
 */
import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Dependencies } from '../ports';
import { dependenciesWith, type AwsAdapters } from './dependencies';
import { InvalidTaskInputError, TransientError, isTransient } from './errors';
import { loggedInvocation, taskKeys } from './invocation-log';
import type { TaskSchema } from './task-schemas';

function classifyErrors(): MiddlewareObj {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error && !(error instanceof TransientError) && isTransient(error)) {
        request.error = new TransientError(`Transient failure: ${error.name}`);
      }
    },
  };
}

/** `aws`: the SES, Step Functions and Secrets Manager adapters this function uses (see `AwsAdapters`). */
export function taskHandler<S extends z.ZodMiniType, R>(
  schema: S | TaskSchema<S>,
  useCase: (input: z.infer<S>, deps: Dependencies) => Promise<R>,
  aws: AwsAdapters,
) {
  const dependencies = dependenciesWith(aws);
  const handler = middy<unknown, R, Error, Context>()
    .use(classifyErrors())
    .handler(async (event) => {
      const parsed = (typeof schema === 'function' ? schema() : schema).safeParse(event);
      if (!parsed.success) {
        throw new InvalidTaskInputError(
          `Task input invalid at ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`,
        );
      }
      return useCase(parsed.data, dependencies());
    });
  return loggedInvocation(
    dependencies,
    taskKeys,
    (event: unknown, context: Context) => handler(event, context),
    {
      startAndEnd: true,
    },
  );
}
