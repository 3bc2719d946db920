// Forgotten password, step 2: the link's token (in the fragment, which no server sees) and a new
// password. The reset signs every session out and issues none: the user signs in afterwards.
import { createSignal, Match, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import { useClient } from '@urql/solid';
import { Alert, FormMessages } from '../components/Alert';
import { NewPasswordField } from '../components/Field';
import { Page } from '../components/Page';
import { createSubmit } from '../forms';
import { ResetPasswordMutation } from '../operations';

/** Takes the token out of `#token=…` and out of the address bar (history, screenshots, shoulder-surfing). */
function takeTokenFromLocation(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token;
}

export function ResetPassword() {
  const client = useClient();
  // Kept in memory only: a reload after this shows "ask for a new link", never the token again.
  const token = takeTokenFromLocation();
  const [done, setDone] = createSignal(false);
  const { errors, busy, onSubmit } = createSubmit(
    // The form shows only with a token (linkProblem below).
    ({ newPassword = '' }) => client.mutation(ResetPasswordMutation, { input: { token: token ?? '', newPassword } }).toPromise(),
    (result) => {
      if (!result.data?.resetPassword) return false;
      setDone(true);
      return true;
    },
  );

  const linkProblem = () => (token ? errors().fields.token : 'This page needs the link from the e-mail, opened in full.');

  return (
    <main id="main" class="auth-layout">
      <Page title="Choose a new password" lead="Resetting the password signs out every session of your account.">
        <div class="card auth-card">
          <Switch>
            <Match when={done()}>
              <Alert tone="success">Your password was changed and every session of your account was signed out. Sign in with the new password.</Alert>
              <A class="button primary block" href="/login">
                Sign in
              </A>
            </Match>
            <Match when={linkProblem()}>
              {(problem) => (
                <>
                  <Alert>{problem()}</Alert>
                  <A class="button block" href="/forgot-password">
                    Ask for a new link
                  </A>
                </>
              )}
            </Match>
            <Match when={token}>
              <form class="form" noValidate onSubmit={onSubmit} aria-busy={busy()}>
                <FormMessages error={errors().form} />
                <NewPasswordField name="newPassword" label="New password" error={errors().fields.newPassword} />
                <button type="submit" class="button primary block" disabled={busy()}>
                  {busy() ? 'Saving…' : 'Set new password'}
                </button>
              </form>
            </Match>
          </Switch>
        </div>
        <p class="auth-switch">
          <A href="/login">Back to sign in</A>
        </p>
      </Page>
    </main>
  );
}
