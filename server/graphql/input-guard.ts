// Strings PostgreSQL cannot store, refused before any resolver runs. U+0000: text cannot hold it
// (SQLSTATE 22021, a 500). A lone UTF-16 surrogate is no Unicode character: the driver writes it
// as U+FFFD, so two different inputs become one (and argon2 hashes them alike). One guard for every
// argument of every operation: inline literals by a validation rule (parse and validate are
// enveloped over HTTP and WebSocket alike), variables before execution and subscription.
import { BREAK, Kind, visit } from 'graphql';
import type { ArgumentNode, ASTNode, ASTVisitor, DocumentNode, GraphQLError, ObjectFieldNode, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { HttpExtension } from './errors.js';
import { appError, withExtensions } from './errors.js';

// With the `u` flag a surrogate pair is one code point: \p{Cs} matches lone surrogates only.
const UNSTORABLE = /[\u0000\p{Cs}]/u;

const MESSAGE = 'This text contains a character that cannot be stored (U+0000 or an unpaired surrogate).';

export function isStorable(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** BAD_USER_INPUT, a 400 even from validation (Yoga would answer an application/json client 200 there). */
function refused(field: string | undefined): GraphQLError {
  const error = appError('BAD_USER_INPUT', field ? { field, message: MESSAGE } : { message: MESSAGE });
  return withExtensions(error, { ...error.extensions, http: { ...(error.extensions.http as HttpExtension), spec: false } });
}

/** The argument or input field a variable is passed to: what a client's form calls the field. */
function usageOf(document: DocumentNode, variable: string): string | undefined {
  let found: string | undefined;
  const check = (node: ArgumentNode | ObjectFieldNode) => {
    if (node.value.kind !== Kind.VARIABLE || node.value.name.value !== variable) return undefined;
    found = node.name.value;
    return BREAK;
  };
  visit(document, { Argument: check, ObjectField: check });
  return found;
}

/** The first unstorable string in a variable's value (iterative: a value may nest deeply): its innermost key. */
function unstorableIn(value: unknown): { key: string | undefined } | null {
  const stack: [unknown, string | undefined][] = [[value, undefined]];
  while (stack.length > 0) {
    const [current, key] = stack.pop() as [unknown, string | undefined];
    if (typeof current === 'string') {
      if (!isStorable(current)) return { key };
    } else if (Array.isArray(current)) {
      for (const item of current) stack.push([item, key]);
    } else if (typeof current === 'object' && current !== null) {
      for (const [k, v] of Object.entries(current)) stack.push([v, k]);
    }
  }
  return null;
}

/** The error for the first variable holding an unstorable string, or null. Exported for transports that run operations themselves. */
export function refuseUnstorableVariables(document: DocumentNode, variables: Readonly<Record<string, unknown>> | null | undefined): GraphQLError | null {
  if (!variables) return null;
  for (const [name, value] of Object.entries(variables)) {
    const hit = unstorableIn(value);
    if (hit) return refused(hit.key ?? usageOf(document, name) ?? name);
  }
  return null;
}

/** The field holding a literal: the nearest argument or input field, or the usage of the variable whose default it is. */
function fieldOfLiteral(document: DocumentNode, above: readonly (ASTNode | readonly ASTNode[] | undefined)[]): string | undefined {
  for (let i = above.length - 1; i >= 0; i--) {
    const node = above[i];
    if (!node || !('kind' in node)) continue;
    if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) return node.name.value;
    if (node.kind === Kind.VARIABLE_DEFINITION) return usageOf(document, node.variable.name.value) ?? node.variable.name.value;
  }
  return undefined;
}

/** Inline literals, variable defaults included. A validation rule: its result is cached with the document. */
function storableLiterals(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node, _key, parent, _path, ancestors) {
      if (!isStorable(node.value)) context.reportError(refused(fieldOfLiteral(context.getDocument(), [...ancestors, parent])));
    },
  };
}

export function useInputGuard(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(storableLiterals);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const error = refuseUnstorableVariables(args.document, args.variableValues);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = refuseUnstorableVariables(args.document, args.variableValues);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
