// Sign-up: an account, its first organisation, and a session in it.
import { A, useNavigate } from '@solidjs/router';
import { Show, createSignal, onMount } from 'solid-js';
import { useClient } from '@urql/solid';
import { FormMessages } from '../components/Alert';
import { EnrollAtSignIn } from '../components/EnrollAtSignIn';
import { Field, NewPasswordField } from '../components/Field';
import { Page } from '../components/Page';
import { createSubmit } from '../forms';
import { graphql } from '../gql';
import { enterSession } from '../identity';
import { secondStepOf } from '../mfa';
import { leaveIfSignedIn } from '../navigation';
import { setNotice } from '../notice';

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
  const navigate = useNavigate();
  // MFA_REQUIRED deployments: the account exists, and sets up TOTP before its first session.
  const [enrolment, setEnrolment] = createSignal<string | null>(null);
  const { errors, busy, onSubmit } = createSubmit(
    ({ name = '', email = '', password = '', organizationName = '' }) => client.mutation(SignUpDocument, { input: { name, email, password, organizationName } }).toPromise(),
    (result) => {
      if (result.data?.signUp) {
        enterSession('/sessions');
        return true;
      }
      const second = secondStepOf(result.error);
      if (second?.kind !== 'MFA_ENROLLMENT_REQUIRED') return false;
      setEnrolment(second.challenge);
      return true;
    },
  );
  onMount(() => leaveIfSignedIn(client));
  const restart = (message: string) => {
    setNotice({ text: message || 'Sign in with your new account to set up two-factor authentication.', tone: 'info' });
    navigate('/login');
  };

  return (
    <main id="main" class="auth-layout">
      <Show when={enrolment()} keyed>
        {(challenge) => <EnrollAtSignIn challenge={challenge} onDone={() => enterSession('/sessions')} onRestart={restart} />}
      </Show>
      <Show when={!enrolment()}>
      <Page title="Create your account" lead="One account, any number of organisations, and every session in sight.">
        <div class="card auth-card">
          <form class="form" noValidate onSubmit={onSubmit} aria-busy={busy()}>
            <FormMessages error={errors().form} />
            <Field name="name" label="Your name" autocomplete="name" required error={errors().fields.name} />
            <Field name="email" label="E-mail" type="email" autocomplete="email" required error={errors().fields.email} />
            <NewPasswordField name="password" label="Password" error={errors().fields.password} />
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
      </Show>
    </main>
  );
}
