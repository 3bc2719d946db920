// Sign-up: an account, its first organisation, and a session in it.
import { createSignal, Show } from 'solid-js';
import { A } from '@solidjs/router';
import { useClient } from '@urql/solid';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { NO_ERRORS, formErrors } from '../errors';
import { focusError, formValues } from '../forms';
import { graphql } from '../gql';
import { enterSession } from '../identity';

const SignUpDocument = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      session {
        id
      }
    }
  }
`);

export function SignUp() {
  const client = useClient();
  const [errors, setErrors] = createSignal(NO_ERRORS);
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const { name = '', email = '', password = '', organizationName = '' } = formValues(form);
    setBusy(true);
    const result = await client.mutation(SignUpDocument, { input: { name, email, password, organizationName } }).toPromise();
    setBusy(false);
    if (result.data?.signUp) return enterSession('/sessions');
    const e = formErrors(result.error);
    setErrors(e);
    focusError(form, e);
  };

  return (
    <div class="auth-layout">
      <Page title="Create your account" lead="One account, any number of organisations, and every session in sight.">
        <div class="card auth-card">
          <form class="form" noValidate onSubmit={submit} aria-busy={busy()}>
            <Show when={errors().form}>
              <Alert>{errors().form}</Alert>
            </Show>
            <Field name="name" label="Your name" autocomplete="name" required error={errors().fields.name} />
            <Field name="email" label="E-mail" type="email" autocomplete="email" required error={errors().fields.email} />
            <Field name="password" label="Password" type="password" autocomplete="new-password" required hint="At least 8 characters, hard to guess: not a common password, nor your name or e-mail. A few unrelated words work well." error={errors().fields.password} />
            <Field name="organizationName" label="Organisation name" autocomplete="organization" required error={errors().fields.organizationName} />
            <button type="submit" class="button primary block" disabled={busy()}>
              {busy() ? 'Creating account…' : 'Create account'}
            </button>
          </form>
        </div>
        <p class="auth-switch">
          Already have an account? <A href="/login">Sign in</A>
        </p>
      </Page>
    </div>
  );
}
