// The Organisation page's live feed: `organizationSessionEvents` on the shell's socket. The server
// ends it with FORBIDDEN when the viewer stops being an owner or admin; the page then reloads the
// viewer (whose role changed) and stops showing the console.
import type { Client } from '@urql/core';
import { graphql } from './gql';
import type { OrganizationSessionEventsSubscription } from './gql/graphql';
import { errorCode } from './errors';

export const OrganizationSessionEventsDocument = graphql(`
  subscription OrganizationSessionEvents($organizationId: ID!) {
    organizationSessionEvents(organizationId: $organizationId) {
      type
      reason
      session {
        ...OrgSessionFields
      }
    }
  }
`);

export type OrganizationSessionEvent = OrganizationSessionEventsSubscription['organizationSessionEvents'];

export interface OrganizationFeed {
  onEvent(event: OrganizationSessionEvent): void;
  /** The subscription ended with an error code (FORBIDDEN once demoted), or the socket closed (null). */
  onEnd(code: string | null): void;
}

export function followOrganization(client: Client, organizationId: string, feed: OrganizationFeed): () => void {
  const { unsubscribe } = client.subscription(OrganizationSessionEventsDocument, { organizationId }).subscribe((result) => {
    if (result.error) {
      // An error at the subscription's root ends it (FORBIDDEN once demoted, a closed socket); one
      // deeper only spoils that event, which the next answer of the list's query makes good.
      const { networkError, graphQLErrors } = result.error;
      if (networkError || graphQLErrors.some((e) => !e.path || e.path.length <= 1)) feed.onEnd(errorCode(result.error) ?? null);
      return;
    }
    const event = result.data?.organizationSessionEvents;
    if (event) feed.onEvent(event);
  });
  return unsubscribe;
}
