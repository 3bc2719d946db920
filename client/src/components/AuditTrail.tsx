// The organisation's audit trail for its owners and admins: who did what to whom, newest first,
// a page at a time, filtered by kind of event.
import { createEffect, createSignal, For, Show } from 'solid-js';
import { createQuery, useClient } from '@urql/solid';
import { errorMessage } from '../errors';
import { graphql } from '../gql';
import type { OrgAuditFieldsFragment } from '../gql/graphql';
import { auditLabel } from '../labels';
import { Alert } from './Alert';
import { QueryView } from './QueryView';
import { RelativeTime } from './RelativeTime';

graphql(`
  fragment OrgAuditFields on AuditEvent {
    id
    type
    createdAt
    ipAddress
    actor {
      id
      name
    }
    subject {
      id
      name
    }
  }
`);

const OrganizationAuditDocument = graphql(`
  query OrganizationAudit($first: Int, $after: String, $type: String) {
    me {
      id
      currentOrganization {
        id
        auditEvents(first: $first, after: $after, type: $type) {
          totalCount
          edges {
            node {
              ...OrgAuditFields
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

const PAGE = 25;
/** The kinds an administrator looks for first; "All" shows every kind. */
const TYPES = ['SIGN_IN', 'SIGN_IN_FAILED', 'MEMBER_SESSION_REVOKED', 'MEMBER_SESSIONS_REVOKED', 'ORGANIZATION_SESSIONS_REVOKED', 'MEMBER_INVITED', 'MEMBER_ROLE_CHANGED', 'MEMBER_REMOVED'];

export function AuditTrail() {
  const client = useClient();
  const [type, setType] = createSignal<string | null>(null);
  const [query, refetch] = createQuery({ query: OrganizationAuditDocument, variables: () => ({ first: PAGE, type: type() }), requestPolicy: 'network-only' });
  const [events, setEvents] = createSignal<OrgAuditFieldsFragment[]>([]);
  const [more, setMore] = createSignal<{ hasNextPage: boolean; endCursor: string | null }>({ hasNextPage: false, endCursor: null });
  const [loadError, setLoadError] = createSignal<string | null>(null);

  createEffect(() => {
    const page = query.data?.me.currentOrganization.auditEvents;
    if (!page) return;
    setEvents(page.edges.map((e) => e.node));
    setMore(page.pageInfo);
  });

  const loadMore = async () => {
    setLoadError(null);
    const r = await client.query(OrganizationAuditDocument, { first: PAGE, after: more().endCursor, type: type() }, { requestPolicy: 'network-only' }).toPromise();
    const page = r.data?.me.currentOrganization.auditEvents;
    if (!page) return setLoadError(r.error ? errorMessage(r.error) : 'Something went wrong.');
    setEvents((current) => [...current, ...page.edges.map((e) => e.node)]);
    setMore(page.pageInfo);
  };

  return (
    <section class="card" aria-labelledby="org-audit-title">
      <h2 id="org-audit-title">Audit trail</h2>
      <div class="inline-form org-filter">
        <div class="field">
          <label for="org-audit-type">Kind of event</label>
          <select id="org-audit-type" onChange={(e) => setType(e.currentTarget.value || null)}>
            <option value="">All events</option>
            <For each={TYPES}>{(t) => <option value={t}>{auditLabel(t)}</option>}</For>
          </select>
        </div>
      </div>
      <QueryView state={query} retry={() => refetch({ requestPolicy: 'network-only' })} loading="Loading the audit trail…">
        {(data) => (
          <>
            <p class="list-status">{data.me.currentOrganization.auditEvents.totalCount} events</p>
            <ol class="timeline" aria-label="Organisation audit events">
              <For each={events()} fallback={<li class="empty">No events.</li>}>
                {(e) => (
                  <li class="event" classList={{ warn: e.type === 'SIGN_IN_FAILED' }}>
                    <div class="event-main">
                      <span class="event-type">{auditLabel(e.type)}</span>
                      <Show when={e.subject && e.subject.id !== e.actor?.id ? e.subject : null}>{(s) => <span class="badge">{s().name}</span>}</Show>
                    </div>
                    <div class="event-meta muted">
                      <Show when={e.actor} fallback="Someone">
                        {(a) => <span>{a().name}</span>}
                      </Show>
                      {' · '}
                      <RelativeTime value={e.createdAt} />
                      <Show when={e.ipAddress}> · {e.ipAddress}</Show>
                    </div>
                  </li>
                )}
              </For>
            </ol>
            <Show when={loadError()}>
              <Alert>{loadError()}</Alert>
            </Show>
            <Show when={more().hasNextPage}>
              <button type="button" class="button secondary load-more" onClick={loadMore}>
                Show older events
              </button>
            </Show>
          </>
        )}
      </QueryView>
    </section>
  );
}
