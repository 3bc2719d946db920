// Forgotten password, step 1: an e-mail address, then the same answer whether or not an account
// uses it (the server tells nothing apart either).
import { createSignal, Show } from 'solid-js';
import { A } from '@solidjs/router';
import { useClient } from '@urql/solid';
import { Alert, FormMessages } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { createSubmit } from '../forms';
import { RequestPasswordResetMutation } from '../operations';

export function ForgotPassword() {
  const client = useClient();
  const [sent, setSent] = createSignal(false);
  const { errors, busy, onSubmit } = createSubmit(
    ({ email = '' }) => client.mutation(RequestPasswordResetMutation, { email }).toPromise(),
    (result) => {
      if (!result.data?.requestPasswordReset) return false;
      setSent(true);
      return true;
    },
  );

  return (
    <main id="main" class="auth-layout">
      <Page title="Forgot your password?" lead="Enter the e-mail address of your account and we will send you a link to choose a new password.">
        <div class="card auth-card">
          <Show
            when={!sent()}
            fallback={
              <Alert tone="success">
                If an account uses this address, we sent a link to it. The link works once, for 30 minutes. Check your spam folder if it does not arrive.
              </Alert>
            }
          >
            <form class="form" noValidate onSubmit={onSubmit} aria-busy={busy()}>
              <FormMessages error={errors().form} />
              <Field name="email" label="E-mail" type="email" autocomplete="username" required error={errors().fields.email} />
              <button type="submit" class="button primary block" disabled={busy()}>
                {busy() ? 'Sending…' : 'Send reset link'}
              </button>
            </form>
          </Show>
        </div>
        <p class="auth-switch">
          Remembered it? <A href="/login">Sign in</A>
        </p>
      </Page>
    </main>
  );
}
