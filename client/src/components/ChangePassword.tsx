// The Account page's "Password" section: the current password and a new one. The server signs out
// every other session and gives this one a new token (the cookie), so this tab stays signed in.
import { Show } from 'solid-js';
import { useClient } from '@urql/solid';
import { createMessageSubmit } from '../forms';
import { graphql } from '../gql';
import { createMfaEnabled } from '../mfa';
import { endingSessionOnPurpose } from '../session-kick';
import { FormMessages } from './Alert';
import { Field, NewPasswordField } from './Field';

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
  const mfaEnabled = createMfaEnabled();
  const { errors, busy, done, onSubmit } = createMessageSubmit(
    // The token of this session is replaced while the others are revoked: nothing heard meanwhile
    // is news that this tab's session ended.
    ({ currentPassword = '', newPassword = '', code }) =>
      endingSessionOnPurpose(() => client.mutation(ChangePasswordDocument, { input: { currentPassword, newPassword, code: mfaEnabled() ? code : undefined } }).toPromise()),
    (result) => {
      const changed = result.data?.changePassword;
      return changed ? changedMessage(changed.revokedCount) : null;
    },
  );

  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <p class="muted">Changing it signs out every other session of your account; this one stays signed in.</p>
      <form class="form narrow-form" noValidate onSubmit={onSubmit} aria-busy={busy()}>
        <FormMessages error={errors().form} success={done()} />
        <Field name="currentPassword" idPrefix="password" label="Current password" type="password" autocomplete="current-password" required error={errors().fields.currentPassword} />
        <NewPasswordField name="newPassword" idPrefix="password" label="New password" error={errors().fields.newPassword} />
        <Show when={mfaEnabled()}>
          <Field name="code" idPrefix="password" label="Authenticator code" inputmode="numeric" autocomplete="one-time-code" required hint="The 6-digit code of your authenticator app, or a recovery code." error={errors().fields.code} />
        </Show>
        <div>
          <button type="submit" class="button primary" disabled={busy()}>
            {busy() ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}
