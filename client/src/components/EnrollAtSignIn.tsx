// Sign-in into an organisation that requires two-factor authentication, for a user who has none:
// the challenge of MFA_ENROLLMENT_REQUIRED starts the enrolment (no password again), and its
// confirmation issues the session; the recovery codes come first, then the app.
import { createResource, Show } from 'solid-js';
import type { CombinedError } from '@urql/core';
import { useClient } from '@urql/solid';
import { errorMessage } from '../errors';
import { CHALLENGE_ENDED_MESSAGE, challengeEnded } from '../mfa';
import { StartTotpEnrollmentMutation } from '../operations';
import { Alert, Loading } from './Alert';
import { Page } from './Page';
import { TotpEnrollment } from './TotpEnrollment';

interface EnrollAtSignInProps {
  challenge: string;
  onDone: () => void;
  onRestart: (message: string) => void;
}

const failure = (error: CombinedError | undefined) => (error ? errorMessage(error) : 'Something went wrong. Please try again.');

export function EnrollAtSignIn(props: EnrollAtSignInProps) {
  const client = useClient();
  const [started] = createResource(
    () => props.challenge,
    async (challenge) => {
      const result = await client.mutation(StartTotpEnrollmentMutation, { challenge }).toPromise();
      if (challengeEnded(result.error)) props.onRestart(CHALLENGE_ENDED_MESSAGE);
      return result;
    },
  );

  return (
    <Page title="Set up two-factor authentication" lead="Two-factor authentication is required here. Set up an authenticator app to finish signing in.">
      <div class="card auth-card auth-card-wide">
        <Show when={started()} fallback={<Loading label="Preparing your key…" />}>
          {(result) => (
            <Show when={result().data?.startTotpEnrollment} fallback={<Alert>{failure(result().error)}</Alert>}>
              {(enrollment) => <TotpEnrollment enrollment={enrollment()} challenge={props.challenge} onDone={() => props.onDone()} onChallengeEnded={() => props.onRestart(CHALLENGE_ENDED_MESSAGE)} />}
            </Show>
          )}
        </Show>
      </div>
    </Page>
  );
}
