// The frame of every signed-in page: header with navigation and the user, the live connection
// (which also carries the instant kick), and the connection banner.
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import type { JSX } from 'solid-js';
import { A, Navigate } from '@solidjs/router';
import { createQuery, useClient } from '@urql/solid';
import { canManageMembers, roleLabel } from '../labels';
import { startLive } from '../live';
import { ViewerQuery } from '../operations';
import { signOut } from '../sign-out';
import { mayHoldSession } from '../signed-in-flag';
import { Alert } from './Alert';
import { ConnectionBanner } from './ConnectionBanner';
import { ReauthDialog } from './ReauthDialog';

export function Shell(props: { children?: JSX.Element }) {
  // No session here: to the sign-in form before anything (query, socket) is asked of the server.
  if (!mayHoldSession()) return <Navigate href="/login" />;
  const client = useClient();
  const [viewer] = createQuery({ query: ViewerQuery });
  const [signOutError, setSignOutError] = createSignal<string | null>(null);
  const [signingOut, setSigningOut] = createSignal(false);

  // live.ts also reconnects and catches up after an interruption (back online, tab shown again).
  let stopLive = () => {};
  onMount(() => (stopLive = startLive(client)));
  onCleanup(() => stopLive());

  const onSignOut = async () => {
    setSigningOut(true);
    setSignOutError(await signOut(client));
    setSigningOut(false);
  };

  return (
    <div class="app">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <A href="/sessions" class="brand">
            <span class="brand-mark" aria-hidden="true">◆</span> Session Gateway
          </A>
          <nav aria-label="Main" class="nav">
            <A href="/sessions">Sessions</A>
            <A href="/activity">Activity</A>
            <Show when={canManageMembers(viewer.data?.me.currentOrganizationRole)}>
              <A href="/organization">Organisation</A>
            </Show>
            <A href="/account">Account</A>
          </nav>
          <div class="who">
            <Show when={viewer.data?.me}>
              {(me) => (
                <span class="who-text">
                  <span class="who-name">{me().name}</span>
                  <span class="who-org">
                    {me().currentOrganization.name} · {roleLabel(me().currentOrganizationRole)}
                  </span>
                </span>
              )}
            </Show>
            <button type="button" class="button secondary small" onClick={onSignOut} disabled={signingOut()}>
              {signingOut() ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" class="main">
        <Show when={signOutError()}>
          <Alert>{signOutError()}</Alert>
        </Show>
        {props.children}
      </main>
      {/* One password prompt for every action that needs a recent sign-in (reauth.ts). */}
      <ReauthDialog />
    </div>
  );
}
