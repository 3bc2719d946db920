// Yoga plugins of our own: Set-Cookie from resolvers, operation names in logs, coded 406/415 bodies,
// compiled execution. Error codes: error-phases.ts.
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, getVariableValues } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from './context.js';
import type { ServerContext } from './context.js';
import { errorBody } from './errors.js';
import { requestState } from '../http/request.js';

export function useRequestState(): Plugin<Context, ServerContext> {
  return {
    onExecute({ args }) {
      const log = args.contextValue.log;
      log.operationName ??= getOperationAST(args.document, args.operationName)?.name?.value ?? undefined;
    },
    onResponse({ response, serverContext, setResponse, fetchAPI }) {
      // Yoga answers an unusable Accept (406) or Content-Type (415) with no body: give it a coded one.
      if ((response.status === 406 || response.status === 415) && !response.body) {
        const message = response.status === 406 ? 'No acceptable response type: accept application/json or application/graphql-response+json.' : 'Send application/json.';
        const body = JSON.stringify(errorBody('BAD_REQUEST', message));
        response = new fetchAPI.Response(body, { status: response.status, headers: { 'content-type': 'application/json; charset=utf-8' } });
        setResponse(response);
      }
      // An answer is one user's data (and may carry a token): no shared or browser cache keeps it (ASVS 14.2.2, 14.3.2).
      response.headers.set('cache-control', 'no-store');
      if (!serverContext?.req) return;
      for (const cookie of requestState(serverContext.req).cookies) response.headers.append('set-cookie', cookie);
    },
  };
}

/**
 * Queries and mutations run as compiled functions (graphql-jit), cached per document: a list of
 * sessions is over a dozen field resolutions per row, which graphql-js interprets one by one.
 * graphql-js keeps what the compiled path words differently: invalid variables (their errors,
 * codes and status stay graphql-js's) and subscriptions (their source streams; their events run
 * compiled by live/event-executor.ts).
 */
export function useCompiledExecution(): Plugin {
  return useGraphQlJit(
    {},
    {
      enableIf: ({ schema, document, operationName, variableValues }) => {
        const operation = getOperationAST(document, operationName);
        if (!operation || operation.operation === 'subscription') return false;
        if (!operation.variableDefinitions?.length) return true;
        // graphql-jit refuses an omitted non-null variable that has a default; graphql-js applies it.
        if (operation.variableDefinitions.some((v) => v.defaultValue)) return false;
        return getVariableValues(schema, operation.variableDefinitions, variableValues ?? {}).errors === undefined;
      },
    },
  ) as Plugin;
}
