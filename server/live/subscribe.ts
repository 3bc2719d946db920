// A socket's subscription: the source stream of its root field, each event executed with the
// subscription's document (graphql-js's MapSourceToResponseEvent). graphql-tools' `subscribe`
// wraps the same in generator layers for incremental delivery, which a subscription does not use
// and a socket holds for hours (bench scenario 4).
import { createSourceEventStream, execute } from 'graphql';
import type { ExecutionArgs, ExecutionResult } from 'graphql';

type Events = AsyncIterableIterator<ExecutionResult>;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

class ExecutedEvents implements Events {
  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const event = await this.source.next();
    if (event.done) return { done: true, value: undefined };
    try {
      return { done: false, value: await execute({ ...this.args, rootValue: event.value }) };
    } catch (err) {
      // The consumer's loop ends on a throw without calling return(): end the source here.
      await this.source.return?.();
      throw err;
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Like graphql-js's `subscribe`: a stream of results, or a result with the errors that stopped it. */
export async function subscribe(args: ExecutionArgs): Promise<Events | ExecutionResult> {
  const source = await createSourceEventStream(args);
  return isAsyncIterable(source) ? new ExecutedEvents(source[Symbol.asyncIterator](), args) : source;
}
