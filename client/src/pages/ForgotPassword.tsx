// Forgotten password, step 1: an e-mail address, then the same answer whether or not an account
// uses it (the server tells nothing apart either).
import { createSignal, Show } from 'solid-js';
import { A } from '@solidjs/router';
import { useClient } from '@urql/solid';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { NO_ERRORS, formErrors } from '../errors';
import { focusError, formValues } from '../forms';
import { RequestPasswordResetMutation } from '../operations';

export function ForgotPassword() {
  const client = useClient();
  const [errors, setErrors] = createSignal(NO_ERRORS);
  const [busy, setBusy] = createSignal(false);
  const [sent, setSent] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const { email = '' } = formValues(form);
    setBusy(true);
    const result = await client.mutation(RequestPasswordResetMutation, { email }).toPromise();
    setBusy(false);
    if (result.data?.requestPasswordReset) return setSent(true);
    const e = formErrors(result.error);
    setErrors(e);
    focusError(form, e);
  };

  return (
    <div class="auth-layout">
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
            <form class="form" noValidate onSubmit={submit} aria-busy={busy()}>
              <Show when={errors().form}>
                <Alert>{errors().form}</Alert>
              </Show>
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
    </div>
  );
}
