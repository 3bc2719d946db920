// The steps of turning TOTP on once a secret exists: scan the QR code (or type the secret), prove
// it with a first code, then save the ten recovery codes. The Account page runs it with the
// session; sign-in with the challenge of MFA_ENROLLMENT_REQUIRED, where the confirmation issues
// the session (its cookie) that signIn held back.
import { createResource, createSignal, onMount, Show } from 'solid-js';
import { useClient } from '@urql/solid';
import { createSubmit } from '../forms';
import type { ConfirmTotpEnrollmentMutation } from '../gql/graphql';
import { challengeEnded } from '../mfa';
import { ConfirmTotpEnrollmentMutation as ConfirmDocument } from '../operations';
import { qrDataUrl } from '../qr';
import { FormMessages } from './Alert';
import { Field } from './Field';
import { RecoveryCodes } from './RecoveryCodes';

export type Confirmation = ConfirmTotpEnrollmentMutation['confirmTotpEnrollment'];

interface TotpEnrollmentProps {
  enrollment: { secret: string; otpauthUri: string };
  /** Sign-in's enrolment challenge; without it the session is used. */
  challenge?: string;
  onDone: (confirmation: Confirmation) => void;
  /** TOTP is on (the recovery codes are showing). */
  onConfirmed?: () => void;
  /** The challenge died (expired, out of tries): back to the password. */
  onChallengeEnded?: () => void;
  onCancel?: () => void;
}

/** "ABCD EFGH …": easier to read aloud and to type. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function TotpEnrollment(props: TotpEnrollmentProps) {
  const client = useClient();
  const [qr] = createResource(() => props.enrollment.otpauthUri, qrDataUrl);
  const [confirmed, setConfirmed] = createSignal<Confirmation | null>(null);
  let heading: HTMLHeadingElement | undefined;
  onMount(() => heading?.focus());

  const { errors, busy, onSubmit } = createSubmit(
    ({ code = '' }) => client.mutation(ConfirmDocument, { code, challenge: props.challenge ?? null }).toPromise(),
    (result) => {
      const done = result.data?.confirmTotpEnrollment;
      if (done) {
        setConfirmed(done);
        props.onConfirmed?.();
        return true;
      }
      if (!props.challenge || !challengeEnded(result.error)) return false;
      props.onChallengeEnded?.();
      return true;
    },
  );

  return (
    <Show
      when={confirmed()}
      fallback={
        <div class="totp-enrollment">
          <h3 ref={heading} tabIndex={-1} id="totp-scan-title">
            Scan this QR code with your authenticator app
          </h3>
          <p class="muted">Any TOTP app works: Google Authenticator, Microsoft Authenticator, 1Password, Aegis, FreeOTP…</p>
          <div class="totp-scan">
            <Show when={qr()} fallback={<div class="qr-placeholder" aria-hidden="true" />}>
              {(src) => <img class="qr" src={src()} width="200" height="200" alt="QR code for your authenticator app (the same key is written out next to it)" />}
            </Show>
            <div class="totp-secret">
              <p>Can't scan it? Enter this key in the app instead (time-based, 6 digits):</p>
              <p>
                <code class="secret" data-testid="totp-secret" aria-label={`Key: ${props.enrollment.secret.split('').join(' ')}`}>
                  {grouped(props.enrollment.secret)}
                </code>
              </p>
            </div>
          </div>
          <form class="form narrow-form" noValidate onSubmit={onSubmit} aria-busy={busy()}>
            <FormMessages error={errors().form} />
            <Field
              name="code"
              idPrefix="totp-enroll"
              label="Enter the 6-digit code from your authenticator app"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={7}
              required
              error={errors().fields.code}
            />
            <div class="button-row">
              <Show when={props.onCancel}>
                <button type="button" class="button secondary" onClick={() => props.onCancel?.()}>
                  Cancel
                </button>
              </Show>
              <button type="submit" class="button primary" disabled={busy()}>
                {busy() ? 'Checking…' : 'Turn on two-factor authentication'}
              </button>
            </div>
          </form>
        </div>
      }
    >
      {(done) => (
        <RecoveryCodes
          codes={done().recoveryCodes}
          lead="Two-factor authentication is on. From now on, signing in asks for a code from your app after your password."
          onSaved={() => props.onDone(done())}
        />
      )}
    </Show>
  );
}
