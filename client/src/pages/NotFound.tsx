// Any path the app does not know (the server answers it with 404). Someone signed in sees it in
// the signed-in frame, with the way back to the sessions page; anyone else, a link to sign in.
// The flag (or the server's hint) decides, as for the Shell, not a request: a signed-out
// visitor's page asks nothing of the server.
import { Show } from 'solid-js';
import { A } from '@solidjs/router';
import { ROUTES } from '../../../server/http/web-routes';
import { Page } from '../components/Page';
import { Shell } from '../components/Shell';
import { mayHoldSession } from '../signed-in-flag';

const LEAD = 'There is nothing at this address. It may have been mistyped, or the page may have moved.';

export function NotFound() {
  return (
    <Show
      when={mayHoldSession()}
      fallback={
        <main id="main" class="auth-layout">
          <Page title="Page not found" lead={LEAD}>
            <div class="card auth-card">
              <A class="button primary block" href={ROUTES.signIn}>
                Sign in
              </A>
            </div>
            <p class="auth-switch">
              New here? <A href={ROUTES.signUp}>Create an account</A>
            </p>
          </Page>
        </main>
      }
    >
      <Shell>
        <Page title="Page not found" lead={LEAD}>
          <p>
            <A class="button primary" href={ROUTES.sessions}>
              Go to your sessions
            </A>
          </p>
        </Page>
      </Shell>
    </Show>
  );
}
