import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import type { Context } from './context.js';
import { formatError } from './format-error.js';

/** The Apollo server for HTTP; `drain` runs on shutdown after HTTP stops accepting (closes WebSockets). */
export function createApollo(schema: GraphQLSchema, config: Config, httpServer: Server, drain: () => Promise<void>, log: (e: unknown) => void) {
  const drainWebSockets: ApolloServerPlugin<Context> = {
    async serverWillStart() {
      return { drainServer: drain };
    },
  };
  return new ApolloServer<Context>({
    schema,
    introspection: config.NODE_ENV !== 'production' || config.ENABLE_INTROSPECTION,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, log),
    csrfPrevention: true,
    stopOnTerminationSignals: false, // index.ts owns the signals and drains in order
    allowBatchedHttpRequests: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      drainWebSockets,
      // The explorer is the web client's own GraphiQL (no CDN); the API serves no landing page.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
