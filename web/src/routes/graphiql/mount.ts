import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

const EXAMPLE = `# Gather's open GraphQL API. Press ▶ (or Ctrl-Enter) to run.
# Queries and mutations go over HTTP; subscriptions over WebSocket, on the same /graphql.
# You are signed in here as whoever is signed in to Gather in this browser.

query UpcomingEvents {
  events(first: 5) {
    totalCount
    edges {
      node {
        id
        title
        startsAt
        timezone
        goingCount
        capacity
        group { name slug }
      }
    }
  }
}

# Copy an event id from above, then run this and RSVP from another tab:
subscription WatchAttendance($eventId: ID!) {
  eventAttendance(eventId: $eventId) {
    version
    event { goingCount waitlistCount }
    rsvp { status waitlistPosition user { name } }
  }
}
`;

/** Renders GraphiQL into `element`, talking to this origin's /graphql (HTTP and WebSocket). */
export function mountGraphiQL(element: HTMLElement): () => void {
	const wsProtocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
	const fetcher = createGraphiQLFetcher({
		url: `${location.origin}/graphql`,
		subscriptionUrl: `${wsProtocol}//${location.host}/graphql`
	});
	const root = createRoot(element);
	root.render(
		createElement(GraphiQL, {
			fetcher,
			defaultQuery: EXAMPLE,
			defaultEditorToolsVisibility: true
		})
	);
	return () => root.unmount();
}
