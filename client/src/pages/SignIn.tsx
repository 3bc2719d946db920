// Sign-in: e-mail and password; then, for a user of several organisations, which one to use.
// With MFA the second step (a code, or an enrolment the organisation requires) is SecondFactor's.
import { createSignal, For, onMount, Show } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { useClient } from '@urql/solid';
import { Alert, FormMessages } from '../components/Alert';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { SecondStep } from '../components/SecondFactor';
import { errorMessage } from '../errors';
import { createSubmit } from '../forms';
import { graphql } from '../gql';
import type { SignInMutation } from '../gql/graphql';
import { enterSession, safeNext } from '../identity';
import type { SecondStep as Step } from '../mfa';
import { secondStepOf } from '../mfa';
import { roleLabel } from '../labels';
import { leaveIfSignedIn } from '../navigation';
import { notice, setNotice } from '../notice';
import { endingSessionOnPurpose } from '../session-kick';

const SignInDocument = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      ...SignedIn
    }
  }
`);

const SwitchDocument = graphql(`
  mutation SwitchOrganizationAtSignIn($organizationId: ID!) {
    switchOrganization(organizationId: $organizationId) {
      session {
        id
      }
    }
  }
`);

type Payload = SignInMutation['signIn'];

export function SignIn() {
  const client = useClient();
  const [params] = useSearchParams<{ next?: string }>();
  const [picking, setPicking] = createSignal<Payload | null>(null);
  // A right password that needs a code (or an enrolment) first: sign-in's second step.
  const [step, setStep] = createSignal<Step | null>(null);
  const next = () => safeNext(params.next);
  const signedIn = (payload: Payload) => (payload.user.memberships.length > 1 ? setPicking(payload) : enterSession(next()));

  const { errors, setErrors, busy, onSubmit } = createSubmit(
    ({ email = '', password = '' }) => client.mutation(SignInDocument, { input: { email, password } }).toPromise(),
    (result) => {
      const payload = result.data?.signIn;
      if (payload) {
        signedIn(payload);
        return true;
      }
      const second = secondStepOf(result.error);
      if (!second) return false;
      setStep(second);
      return true;
    },
  );

  onMount(() => leaveIfSignedIn(client));
  // The notice says why the last session ended; once the user tries again, what matters is the
  // answer to this attempt.
  const submit = (event: SubmitEvent) => {
    setNotice(null);
    return onSubmit(event);
  };

  const restart = (message: string) => {
    setStep(null);
    setErrors({ fields: {}, form: message || null });
  };

  return (
    <main id="main" class="auth-layout">
      <Show when={step()} keyed>
        {(s) => <SecondStep step={s} onSignedIn={(p) => (setStep(null), signedIn(p))} onEnrolled={() => enterSession(next())} onRestart={restart} />}
      </Show>
      <Show when={!step()}>
      <Show when={picking()} fallback={
        <Page title="Sign in" lead="Welcome back. Sign in to see and manage your sessions.">
          <div class="card auth-card">
            <Show when={notice()}>
              {(n) => <Alert tone={n().tone}>{n().text}</Alert>}
            </Show>
            <form class="form" noValidate onSubmit={submit} aria-busy={busy()}>
              <FormMessages error={errors().form} />
              <Field name="email" label="E-mail" type="email" autocomplete="username" required error={errors().fields.email} />
              <Field name="password" label="Password" type="password" autocomplete="current-password" required error={errors().fields.password} />
              <button type="submit" class="button primary block" disabled={busy()}>
                {busy() ? 'Signing in…' : 'Sign in'}
              </button>
              <p class="auth-aside">
                <A href="/forgot-password">Forgot your password?</A>
              </p>
            </form>
          </div>
          <p class="auth-switch">
            New here? <A href="/signup">Create an account</A>
          </p>
        </Page>
      }>
        {(payload) => <OrganizationPicker payload={payload()} onDone={() => enterSession(next())} onSecondStep={(second) => (setPicking(null), setStep(second))} />}
      </Show>
      </Show>
    </main>
  );
}

function OrganizationPicker(props: { payload: Payload; onDone: () => void; onSecondStep: (step: Step) => void }) {
  const client = useClient();
  const [chosen, setChosen] = createSignal(props.payload.session.organization.id);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (chosen() === props.payload.session.organization.id) return props.onDone();
    setBusy(true);
    // The sign-in made a session in the default organisation; the switch replaces it.
    const result = await endingSessionOnPurpose(() => client.mutation(SwitchDocument, { organizationId: chosen() }).toPromise());
    setBusy(false);
    // The organisation chosen requires MFA this account lacks: enrol, which signs in there.
    const second = secondStepOf(result.error);
    if (second) return props.onSecondStep(second);
    if (result.error) return setError(errorMessage(result.error));
    props.onDone();
  };

  return (
    <Page title="Choose an organisation" lead="Your account belongs to several organisations. Which one do you want to work in?">
      <form class="card auth-card form" onSubmit={submit} aria-busy={busy()}>
        <Show when={error()}>
          <Alert>{error()}</Alert>
        </Show>
        <fieldset class="choices">
          <legend class="visually-hidden">Organisation</legend>
          <For each={props.payload.user.memberships}>
            {(m) => (
              <label class="choice">
                <input type="radio" name="organizationId" value={m.organization.id} checked={chosen() === m.organization.id} onChange={() => setChosen(m.organization.id)} />
                <span class="choice-name">{m.organization.name}</span>
                <span class="badge">{roleLabel(m.role)}</span>
              </label>
            )}
          </For>
        </fieldset>
        <button type="submit" class="button primary block" disabled={busy()}>
          {busy() ? 'Opening…' : 'Continue'}
        </button>
      </form>
    </Page>
  );
}
