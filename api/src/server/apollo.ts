import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import { compiledExecutor } from './compiled-execution.js';
import type { Context } from './context.js';
import { formatError } from './format-error.js';
import { costLimitPlugin, validationRules } from './limits.js';
import type { ApiMetrics } from './metrics.js';
import { operationRecordsPlugin } from './operation-records.js';
import { requestGuards } from './request-guards.js';

/** The Apollo server for HTTP. It drains nothing itself: RunningApi.close (app.ts) stops HTTP and WebSockets in order first. */
export function createApollo(schema: GraphQLSchema, config: Config, log: (e: unknown) => void, metrics: ApiMetrics) {
  return new ApolloServer<Context>({
    // Operations run compiled (graphql-jit) through Apollo's executor interface; the schema comes with it.
    gateway: compiledExecutor(schema),
    // Introspection is refused (production, unless ENABLE_INTROSPECTION) by validationRules, on HTTP and WebSocket alike.
    introspection: true,
    validationRules: validationRules(config),
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, log, { hideSuggestions: config.NODE_ENV === 'production' }),
    csrfPrevention: true,
    stopOnTerminationSignals: false, // index.ts owns the signals and drains in order
    allowBatchedHttpRequests: false,
    plugins: [
      costLimitPlugin(config),
      operationRecordsPlugin(metrics),
      requestGuards, // NUL characters and subscriptions refused before execution
      // The explorer is the web client's own GraphiQL (no CDN); the API serves no landing page.
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; the default plugin would wrap every field resolver to collect them (bench: CPU per page).
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
}
