// Sign-in's second step, after a right password: the code from the authenticator app (or a
// recovery code) for MFA_REQUIRED, or setting the app up for MFA_ENROLLMENT_REQUIRED (an
// organisation that requires it). A dead challenge sends the user back to the password.
import { createSignal, onMount, Show } from 'solid-js';
import { useClient } from '@urql/solid';
import { NO_ERRORS } from '../errors';
import { createSubmit } from '../forms';
import { graphql } from '../gql';
import type { CompleteSignInMutation } from '../gql/graphql';
import type { SecondStep as Step } from '../mfa';
import { CHALLENGE_ENDED_MESSAGE, challengeEnded } from '../mfa';
import { FormMessages } from './Alert';
import { EnrollAtSignIn } from './EnrollAtSignIn';
import { Field } from './Field';
import { Page } from './Page';

const CompleteSignInDocument = graphql(`
  mutation CompleteSignIn($input: CompleteSignInInput!) {
    completeSignIn(input: $input) {
      ...SignedIn
    }
  }
`);

export type CompletedSignIn = CompleteSignInMutation['completeSignIn'];

interface SecondStepProps {
  step: Step;
  /** The code was right: the session exists (its cookie is set). */
  onSignedIn: (payload: CompletedSignIn) => void;
  /** Enrolment done and its recovery codes saved: the session exists. */
  onEnrolled: () => void;
  /** Back to the password step, with this message. */
  onRestart: (message: string) => void;
}

export function SecondStep(props: SecondStepProps) {
  return (
    <Show when={props.step.kind === 'MFA_REQUIRED'} fallback={<EnrollAtSignIn challenge={props.step.challenge} onDone={props.onEnrolled} onRestart={props.onRestart} />}>
      <SecondFactor challenge={props.step.challenge} onSignedIn={props.onSignedIn} onRestart={props.onRestart} />
    </Show>
  );
}

export function SecondFactor(props: { challenge: string; onSignedIn: (payload: CompletedSignIn) => void; onRestart: (message: string) => void }) {
  const client = useClient();
  const [recovery, setRecovery] = createSignal(false);
  const [said, setSaid] = createSignal('');
  let input: HTMLInputElement | undefined;
  // After the Page's heading took focus: the field is where the user types next.
  onMount(() => queueMicrotask(() => input?.focus()));

  const { errors, setErrors, busy, onSubmit } = createSubmit(
    ({ code = '' }) => client.mutation(CompleteSignInDocument, { input: { challenge: props.challenge, code } }).toPromise(),
    (result) => {
      const payload = result.data?.completeSignIn;
      if (payload) props.onSignedIn(payload);
      else if (challengeEnded(result.error)) props.onRestart(CHALLENGE_ENDED_MESSAGE);
      else return false;
      return true;
    },
    () => input?.select(),
  );

  const toggle = () => {
    setRecovery(!recovery());
    setErrors(NO_ERRORS);
    if (input) input.value = '';
    setSaid(recovery() ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code from your authenticator app.');
    input?.focus();
  };

  return (
    <Page title="Two-step verification" lead="Your password was right. One more step to sign in.">
      <div class="card auth-card">
        <p class="visually-hidden" role="status" aria-live="polite">
          {said()}
        </p>
        <form class="form" noValidate onSubmit={onSubmit} aria-busy={busy()}>
          <FormMessages error={errors().form} />
          <Show
            when={recovery()}
            fallback={
              <Field ref={input} name="code" idPrefix="mfa" label="Enter the 6-digit code from your authenticator app" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxLength={7} required error={errors().fields.code} />
            }
          >
            <Field ref={input} name="code" idPrefix="mfa" label="Recovery code" autocomplete="off" autocapitalize="characters" spellcheck={false} hint="One of the ten codes you saved when you set up two-factor authentication. Each works once." required error={errors().fields.code} />
          </Show>
          <button type="submit" class="button primary block" disabled={busy()}>
            {busy() ? 'Checking…' : 'Verify'}
          </button>
          <p class="auth-aside">
            <button type="button" class="link-button" onClick={toggle}>
              {recovery() ? 'Use a code from your app instead' : 'Use a recovery code instead'}
            </button>
          </p>
          <p class="auth-aside">
            <button type="button" class="link-button" onClick={() => props.onRestart('')}>
              Back to the password
            </button>
          </p>
        </form>
      </div>
    </Page>
  );
}
