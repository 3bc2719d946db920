// Where the organisation's members are signed in, live: each session's member, device, place,
// last activity and whether it is online now; end one, or all of a member's. Owners and admins.
import { createEffect, createSignal, For, onCleanup, Show } from 'solid-js';
import { createQuery, useClient } from '@urql/solid';
import { onReconnected } from '../client-store';
import { errorMessage } from '../errors';
import { graphql } from '../gql';
import { clientLabel, deviceLabel } from '../labels';
import { followOrganization } from '../org-live';
import type { OrgSession } from '../org-session-list';
import { applyOrgEvent, sortByActivity } from '../org-session-list';
import { RevokeMemberSessionsMutation } from '../operations';
import { withReauth } from '../reauth';
import { Alert, LiveStatus } from './Alert';
import { ConfirmDialog } from './ConfirmDialog';
import { DeviceIcon } from './DeviceIcon';
import { OnlineDot } from './OnlineDot';
import { QueryView } from './QueryView';
import { RelativeTime } from './RelativeTime';

graphql(`
  fragment OrgSessionFields on Session {
    id
    userAgent
    device
    ipAddress
    location
    isCurrent
    online
    createdAt
    lastActiveAt
    user {
      id
      name
      email
    }
  }
`);

const OrganizationSessionsDocument = graphql(`
  query OrganizationSessions($first: Int, $after: String, $userId: ID) {
    me {
      id
      currentOrganization {
        id
        members {
          id
          role
          user {
            id
            name
          }
        }
        sessions(first: $first, after: $after, userId: $userId) {
          totalCount
          edges {
            cursor
            node {
              ...OrgSessionFields
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

const RevokeMemberSessionDocument = graphql(`
  mutation RevokeMemberSession($input: RevokeMemberSessionInput!) {
    revokeMemberSession(input: $input) {
      revokedCount
    }
  }
`);

const PAGE = 50;

type Pending = { kind: 'one'; session: OrgSession } | { kind: 'member'; userId: string; name: string };

interface Props {
  organizationId: string;
  organizationName: string;
  /** The server ended the live feed (FORBIDDEN once demoted): the page re-reads the viewer. */
  onFeedEnded(code: string | null): void;
}

export function OrganizationSessions(props: Props) {
  const client = useClient();
  const [userId, setUserId] = createSignal<string | null>(null);
  const [query, refetch] = createQuery({ query: OrganizationSessionsDocument, variables: () => ({ first: PAGE, userId: userId() }), requestPolicy: 'network-only' });
  const [list, setList] = createSignal<OrgSession[]>([]);
  const [more, setMore] = createSignal<{ hasNextPage: boolean; endCursor: string | null }>({ hasNextPage: false, endCursor: null });
  const [total, setTotal] = createSignal(0);
  const [pending, setPending] = createSignal<Pending | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [dialogError, setDialogError] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const [loadError, setLoadError] = createSignal<string | null>(null);

  createEffect(() => {
    const page = query.data?.me.currentOrganization.sessions;
    if (!page) return;
    setList(sortByActivity(page.edges.map((e) => e.node)));
    setMore(page.pageInfo);
    setTotal(page.totalCount);
  });
  const members = () => query.data?.me.currentOrganization.members ?? [];

  const stop = followOrganization(client, props.organizationId, {
    onEvent: (event) => {
      const before = list().length;
      setList((current) => applyOrgEvent(current, event, userId()));
      setTotal((t) => Math.max(0, t + list().length - before));
    },
    onEnd: (code) => props.onFeedEnded(code),
  });
  onCleanup(stop);
  // Events sent while the socket was down are lost: the list is read again on reconnection.
  onCleanup(onReconnected(() => refetch({ requestPolicy: 'network-only' })));

  const loadMore = async () => {
    setLoadError(null);
    const r = await client.query(OrganizationSessionsDocument, { first: PAGE, after: more().endCursor, userId: userId() }, { requestPolicy: 'network-only' }).toPromise();
    const page = r.data?.me.currentOrganization.sessions;
    if (!page) return setLoadError(r.error ? errorMessage(r.error) : 'Something went wrong.');
    const seen = new Set(list().map((s) => s.id));
    setList((current) => [...current, ...page.edges.map((e) => e.node).filter((s) => !seen.has(s.id))]);
    setMore(page.pageInfo);
  };

  const close = () => {
    setPending(null);
    setDialogError(null);
  };

  const confirm = async () => {
    const p = pending();
    if (!p) return;
    setBusy(true);
    setDone(null);
    const organizationId = props.organizationId;
    const result =
      p.kind === 'one'
        ? await withReauth(() => client.mutation(RevokeMemberSessionDocument, { input: { organizationId, sessionId: p.session.id } }).toPromise())
        : await withReauth(() => client.mutation(RevokeMemberSessionsMutation, { input: { organizationId, userId: p.userId } }).toPromise());
    setBusy(false);
    if (result.error) return setDialogError(errorMessage(result.error));
    const ended = p.kind === 'one' ? [p.session.id] : list().filter((s) => s.user.id === p.userId && !s.isCurrent).map((s) => s.id);
    setList((current) => current.filter((s) => !ended.includes(s.id)));
    setDone(p.kind === 'one' ? `Ended ${p.session.user.name}'s session on ${clientLabel(p.session.userAgent)}.` : `Signed ${p.name} out of ${props.organizationName}.`);
    close();
  };

  const filteredName = () => members().find((m) => m.user.id === userId())?.user.name ?? '';

  return (
    <section class="card" aria-labelledby="org-sessions-title">
      <div class="card-head">
        <h2 id="org-sessions-title">Members' sessions</h2>
        <span class="live-dot" title="This list updates by itself">
          Live
        </span>
      </div>
      <LiveStatus text={done()} />
      <div class="inline-form org-filter">
        <div class="field">
          <label for="org-sessions-member">Sessions of</label>
          <select id="org-sessions-member" onChange={(e) => setUserId(e.currentTarget.value || null)}>
            <option value="">Everyone</option>
            <For each={members()}>{(m) => <option value={m.user.id}>{m.user.name}</option>}</For>
          </select>
        </div>
        <Show when={userId()}>
          {(id) => (
            <button type="button" class="button danger-outline small" onClick={() => setPending({ kind: 'member', userId: id(), name: filteredName() })}>
              End all of {filteredName()}'s sessions
            </button>
          )}
        </Show>
      </div>
      <QueryView state={query} retry={() => refetch({ requestPolicy: 'network-only' })} loading="Loading sessions…">
        {() => (
          <>
            <p class="list-status" data-testid="org-session-count">
              {total() === 1 ? '1 live session' : `${total()} live sessions`}
            </p>
            <ul class="session-list" aria-label="Organisation sessions">
              <For each={list()} fallback={<li class="empty">No live sessions.</li>}>
                {(s) => (
                  <li class="session" classList={{ current: s.isCurrent }} data-session-id={s.id}>
                    <div class="session-icon">
                      <DeviceIcon device={s.device} />
                    </div>
                    <div class="session-head">
                      <h3 class="session-title">
                        <OnlineDot online={s.online} />
                        {s.user.name}
                        <Show when={s.isCurrent}>
                          <span class="badge badge-accent">You, here</span>
                        </Show>
                      </h3>
                      <p class="session-meta">
                        {clientLabel(s.userAgent)} · {deviceLabel(s.device)}
                        <Show when={s.location}> · {s.location}</Show>
                      </p>
                    </div>
                    <div class="session-actions">
                      <Show when={!s.isCurrent}>
                        <button type="button" class="button danger-outline small" aria-label={`End ${s.user.name}'s session on ${clientLabel(s.userAgent)}`} onClick={() => setPending({ kind: 'one', session: s })}>
                          End
                        </button>
                      </Show>
                    </div>
                    <dl class="facts">
                      <div>
                        <dt>E-mail</dt>
                        <dd>{s.user.email}</dd>
                      </div>
                      <div>
                        <dt>Last active</dt>
                        <dd>
                          <RelativeTime value={s.lastActiveAt} />
                        </dd>
                      </div>
                      <div>
                        <dt>IP address</dt>
                        <dd>{s.ipAddress ?? 'Unknown'}</dd>
                      </div>
                    </dl>
                  </li>
                )}
              </For>
            </ul>
            <Show when={loadError()}>
              <Alert>{loadError()}</Alert>
            </Show>
            <Show when={more().hasNextPage}>
              <button type="button" class="button secondary load-more" onClick={loadMore}>
                Show more sessions
              </button>
            </Show>
          </>
        )}
      </QueryView>
      <ConfirmDialog
        open={pending() !== null}
        title={pending()?.kind === 'member' ? 'Sign out this member?' : 'End this session?'}
        confirmLabel={pending()?.kind === 'member' ? 'Sign out' : 'End session'}
        busy={busy()}
        error={dialogError()}
        onConfirm={confirm}
        onClose={close}
      >
        <Show when={pending()}>
          {(p) => {
            const v = p();
            return v.kind === 'one' ? (
              <p>
                <strong>{v.session.user.name}</strong> is signed out of {clientLabel(v.session.userAgent)} at once. Their other sessions stay.
              </p>
            ) : (
              <p>
                Every session of <strong>{v.name}</strong> in {props.organizationName} ends at once.
              </p>
            );
          }}
        </Show>
      </ConfirmDialog>
    </section>
  );
}
