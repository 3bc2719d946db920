// The Account page's "Password" section: the current password and a new one. The server signs out
// every other session and gives this one a new token (the cookie), so this tab stays signed in.
import { createSignal, Show } from 'solid-js';
import { useClient } from '@urql/solid';
import { NO_ERRORS, formErrors } from '../errors';
import { focusError, formValues } from '../forms';
import { graphql } from '../gql';
import { endingSessionOnPurpose } from '../session-kick';
import { Alert } from './Alert';
import { Field } from './Field';

const ChangePasswordDocument = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      revokedCount
    }
  }
`);

export function changedMessage(revokedCount: number): string {
  const others = revokedCount === 1 ? '1 other session was' : `${revokedCount} other sessions were`;
  return `Password changed. ${others} signed out.`;
}

export function ChangePassword() {
  const client = useClient();
  const [errors, setErrors] = createSignal(NO_ERRORS);
  const [busy, setBusy] = createSignal(false);
  const [done, setDone] = createSignal<string | null>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const { currentPassword = '', newPassword = '' } = formValues(form);
    setBusy(true);
    setDone(null);
    // The token of this session is replaced while the others are revoked: nothing heard meanwhile
    // is news that this tab's session ended.
    const result = await endingSessionOnPurpose(() => client.mutation(ChangePasswordDocument, { input: { currentPassword, newPassword } }).toPromise());
    setBusy(false);
    const changed = result.data?.changePassword;
    if (changed) {
      setErrors(NO_ERRORS);
      setDone(changedMessage(changed.revokedCount));
      form.reset();
      return;
    }
    const e = formErrors(result.error);
    setErrors(e);
    focusError(form, e);
  };

  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <p class="muted">Changing it signs out every other session of your account; this one stays signed in.</p>
      <form class="form narrow-form" noValidate onSubmit={submit} aria-busy={busy()}>
        <Show when={errors().form}>
          <Alert>{errors().form}</Alert>
        </Show>
        <Show when={done()}>
          <Alert tone="success">{done()}</Alert>
        </Show>
        <Field name="currentPassword" idPrefix="password" label="Current password" type="password" autocomplete="current-password" required error={errors().fields.currentPassword} />
        <Field
          name="newPassword"
          idPrefix="password"
          label="New password"
          type="password"
          autocomplete="new-password"
          required
          hint="At least 8 characters, hard to guess: not a common password, nor your name or e-mail. A few unrelated words work well."
          error={errors().fields.newPassword}
        />
        <div>
          <button type="submit" class="button primary" disabled={busy()}>
            {busy() ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}
