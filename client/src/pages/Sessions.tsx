// Every live session of the user, across organisations, kept current by the subscription.
import { createEffect, createSignal, For, onCleanup, Show } from 'solid-js';
import { createQuery, useClient } from '@urql/solid';
import { socketState } from '../client-store';
import { Alert, LiveStatus } from '../components/Alert';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DeviceIcon } from '../components/DeviceIcon';
import { Page } from '../components/Page';
import { QueryView } from '../components/QueryView';
import { RelativeTime } from '../components/RelativeTime';
import { errorMessage } from '../errors';
import { graphql } from '../gql';
import { clientLabel, deviceLabel, roleLabel } from '../labels';
import { onSessionEvent } from '../live';
import { withReauth } from '../reauth';
import { applyEvent, sortSessions, withoutSessions } from '../session-list';
import type { SessionItem } from '../session-list';
import { signOut } from '../sign-out';

const SessionsDocument = graphql(`
  query Sessions {
    sessions {
      ...SessionFields
    }
  }
`);

const RevokeSessionDocument = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id) {
      id
    }
  }
`);

const RevokeOtherSessionsDocument = graphql(`
  mutation RevokeOtherSessions {
    revokeOtherSessions {
      revokedCount
    }
  }
`);

type Pending = { kind: 'one'; session: SessionItem } | { kind: 'others'; count: number };

export function Sessions() {
  const client = useClient();
  const [query, refetch] = createQuery({ query: SessionsDocument });
  const [list, setList] = createSignal<SessionItem[]>([]);
  const [pending, setPending] = createSignal<Pending | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [dialogError, setDialogError] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const [actionError, setActionError] = createSignal<string | null>(null);

  // Each answer of the query replaces the list; events in between patch it.
  createEffect(() => {
    const sessions = query.data?.sessions;
    if (sessions) setList(sortSessions(sessions));
  });
  onCleanup(onSessionEvent((event) => setList((current) => applyEvent(current, event))));

  const others = () => list().filter((s) => !s.isCurrent);
  const pendingSession = () => {
    const p = pending();
    return p?.kind === 'one' ? p.session : null;
  };

  const close = () => {
    setPending(null);
    setDialogError(null);
  };

  // The revoke button that had focus is gone with its session (and the dialog gives focus back to
  // it): the next session's revoke button takes it, else the previous one's, else the list heading.
  // The candidates are taken before the request: the session's own REVOKED event may come first.
  let listHeading: HTMLHeadingElement | undefined;
  const neighboursOf = (session: SessionItem): string[] => {
    const ids = others().map((s) => s.id);
    const at = ids.indexOf(session.id);
    return [...ids.slice(at + 1), ...ids.slice(0, Math.max(at, 0)).reverse()];
  };
  const focusAfterRemoval = (candidates: string[]) => {
    const button = candidates.map((id) => document.querySelector<HTMLElement>(`[data-session-id="${id}"] .session-actions button`)).find(Boolean);
    (button ?? listHeading)?.focus();
  };

  const confirm = async () => {
    const p = pending();
    if (!p) return;
    setBusy(true);
    setDone(null);
    if (p.kind === 'one') {
      const neighbours = neighboursOf(p.session);
      const result = await withReauth(() => client.mutation(RevokeSessionDocument, { id: p.session.id }).toPromise());
      setBusy(false);
      if (result.error) return setDialogError(errorMessage(result.error));
      setList((current) => withoutSessions(current, [p.session.id]));
      setDone(`Signed out ${clientLabel(p.session.userAgent)}.`);
      close();
      return focusAfterRemoval(neighbours);
    } else {
      const ids = others().map((s) => s.id);
      const result = await withReauth(() => client.mutation(RevokeOtherSessionsDocument, {}).toPromise());
      setBusy(false);
      const count = result.data?.revokeOtherSessions.revokedCount;
      if (count === undefined) return setDialogError(result.error ? errorMessage(result.error) : 'Something went wrong.');
      setList((current) => withoutSessions(current, ids));
      setDone(count === 1 ? 'Signed out 1 other session.' : `Signed out ${count} other sessions.`);
      close();
      focusAfterRemoval([]);
    }
  };

  const onSignOut = async () => setActionError(await signOut(client));

  return (
    <Page
      title="Sessions"
      lead="Everywhere you are signed in, in every organisation. Revoke any session you do not recognise."
      actions={
        <button type="button" class="button secondary" disabled={others().length === 0} onClick={() => setPending({ kind: 'others', count: others().length })}>
          Sign out all other sessions
        </button>
      }
    >
      <LiveStatus text={done()} />
      <Show when={actionError()}>
        <Alert>{actionError()}</Alert>
      </Show>
      <QueryView state={query} retry={() => refetch({ requestPolicy: 'network-only' })} loading="Loading sessions…">
        {() => (
          <>
            <div class="list-status">
              <h2 class="count" ref={listHeading} tabIndex={-1}>
                {list().length === 1 ? '1 active session' : `${list().length} active sessions`}
              </h2>
              <Show when={socketState() === 'connected'}>
                <span class="live-dot" title="This list updates by itself">
                  Live
                </span>
              </Show>
            </div>
            <ul class="session-list" aria-label="Active sessions">
              <For each={list()}>
                {(session) => (
                  <li class="session" classList={{ current: session.isCurrent }} data-session-id={session.id}>
                    <div class="session-icon">
                      <DeviceIcon device={session.device} />
                    </div>
                    <div class="session-head">
                      <h3 class="session-title">
                        {clientLabel(session.userAgent)}
                        <Show when={session.isCurrent}>
                          <span class="badge badge-accent">This device</span>
                        </Show>
                      </h3>
                      <p class="session-meta">
                        {deviceLabel(session.device)} · {session.ipAddress ?? 'Unknown IP'}
                        <Show when={session.location}> · {session.location}</Show>
                      </p>
                    </div>
                    <div class="session-actions">
                      <Show
                        when={!session.isCurrent}
                        fallback={
                          <button type="button" class="button secondary small" onClick={onSignOut}>
                            Sign out
                          </button>
                        }
                      >
                        <button type="button" class="button danger-outline small" aria-label={`Revoke ${clientLabel(session.userAgent)}, ${session.ipAddress ?? ''}`} onClick={() => setPending({ kind: 'one', session })}>
                          Revoke
                        </button>
                      </Show>
                    </div>
                    <dl class="facts">
                      <div>
                        <dt>Organisation</dt>
                        <dd>
                          {session.organization.name} <span class="muted">({roleLabel(session.role)})</span>
                        </dd>
                      </div>
                      <div>
                        <dt>Signed in</dt>
                        <dd>
                          <RelativeTime value={session.createdAt} />
                        </dd>
                      </div>
                      <div>
                        <dt>Last active</dt>
                        <dd>
                          <RelativeTime value={session.lastActiveAt} />
                        </dd>
                      </div>
                    </dl>
                  </li>
                )}
              </For>
            </ul>
            <Show when={others().length === 0}>
              <p class="empty">No other sessions: you are signed in on this device only.</p>
            </Show>
          </>
        )}
      </QueryView>
      <ConfirmDialog
        open={pending() !== null}
        title={pending()?.kind === 'others' ? 'Sign out all other sessions?' : 'Revoke this session?'}
        confirmLabel={pending()?.kind === 'others' ? 'Sign out others' : 'Revoke'}
        busy={busy()}
        error={dialogError()}
        onConfirm={confirm}
        onClose={close}
      >
        <Show
          when={pendingSession()}
          fallback={<p>{others().length === 1 ? 'The 1 other session' : `All ${others().length} other sessions`} will be signed out at once, in every organisation. This device stays signed in.</p>}
        >
          {(s) => (
            <p>
              <strong>{clientLabel(s().userAgent)}</strong> ({s().ipAddress ?? 'unknown IP'}, {s().organization.name}) will be signed out at once.
            </p>
          )}
        </Show>
      </ConfirmDialog>
    </Page>
  );
}
