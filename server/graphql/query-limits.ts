// Limits on what one GraphQL document may ask for (graphql-armor's rules), no field suggestions,
// and no introspection in production: one plugin with one parse and one validate hook, the rules
// made once, for Yoga to find a document's validation in its cache. graphql-armor's own plugins
// are one plugin each, and each makes its rule again on every request.
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { ParseOptions, Source, ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../process/config.js';

const SUGGESTION = /Did you mean ".+"\?/g;

/** Validation errors without "Did you mean …?": they would reveal the schema field by field. */
function hideSuggestions({ valid, result, setResult }: { valid: boolean; result: readonly Error[]; setResult: (errors: Error[]) => void }): void {
  if (valid) return;
  setResult(
    result.map((error) => {
      error.message = error.message.replace(SUGGESTION, '[Suggestion hidden]').trim();
      return error;
    }),
  );
}

export function queryLimitsPlugin(config: Config): Plugin {
  const { limits } = config;
  // exposeLimits: a client that hits a limit is told which one.
  const rules: ValidationRule[] = [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, exposeLimits: true }),
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true }),
    maxDirectivesRule({ n: limits.maxDirectives, exposeLimits: true }),
    costLimitRule({ maxCost: limits.maxCost, ignoreIntrospection: true, exposeLimits: true }),
  ];
  if (config.production) rules.push(NoSchemaIntrospectionCustomRule);
  const tokens = { n: limits.maxTokens, exposeLimits: true };
  // The token limit acts while parsing, before a huge document is built.
  const parseWithTokenLimit = (source: string | Source, options?: ParseOptions) => new MaxTokensParserWLexer(source, { ...options, ...tokens }).parseDocument();
  return {
    onParse: ({ setParseFn }) => setParseFn(parseWithTokenLimit),
    onValidate: ({ addValidationRule }) => {
      for (const rule of rules) addValidationRule(rule);
      return hideSuggestions;
    },
  };
}
