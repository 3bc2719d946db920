// The user's own audit trail, newest first.
import { For, Show } from 'solid-js';
import { createQuery } from '@urql/solid';
import { Page } from '../components/Page';
import { QueryView } from '../components/QueryView';
import { RelativeTime } from '../components/RelativeTime';
import { graphql } from '../gql';
import { auditLabel, clientLabel } from '../labels';

const AuditEventsDocument = graphql(`
  query AuditEvents($first: Int!) {
    auditEvents(first: $first) {
      id
      type
      createdAt
      ipAddress
      userAgent
      organization {
        id
        name
      }
    }
  }
`);

export function Activity() {
  const [events, refetch] = createQuery({ query: AuditEventsDocument, variables: { first: 100 }, requestPolicy: 'network-only' });
  return (
    <Page title="Activity" lead="Sign-ins, sign-outs and changes made with your account, newest first.">
      <QueryView state={events} retry={() => refetch({ requestPolicy: 'network-only' })} loading="Loading activity…">
        {(data) => (
          <Show when={data.auditEvents.length > 0} fallback={<p class="empty">No activity yet.</p>}>
            <ol class="timeline" aria-label="Audit events">
              <For each={data.auditEvents}>
                {(e) => (
                  <li class="event" classList={{ warn: e.type === 'SIGN_IN_FAILED' }}>
                    <div class="event-main">
                      <span class="event-type">{auditLabel(e.type)}</span>
                      <Show when={e.organization}>{(o) => <span class="badge">{o().name}</span>}</Show>
                    </div>
                    <div class="event-meta muted">
                      <RelativeTime value={e.createdAt} />
                      <Show when={e.ipAddress}> · {e.ipAddress}</Show>
                      <Show when={e.userAgent}>
                        {(ua) => <span title={ua()}> · {clientLabel(ua())}</span>}
                      </Show>
                    </div>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        )}
      </QueryView>
    </Page>
  );
}
