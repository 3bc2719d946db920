// The Account page's "Delete account" section: a dialog that asks for the password and a typed
// confirmation. Afterwards every session is gone, this tab's included: it leaves for /login.
import { createSignal, Show } from 'solid-js';
import { useClient } from '@urql/solid';
import { NO_ERRORS, formErrors } from '../errors';
import { graphql } from '../gql';
import { createMfaEnabled } from '../mfa';
import { leaveTo } from '../navigation';
import { setNotice } from '../notice';
import { endingSessionOnPurpose, messageFor } from '../session-kick';
import { markSignedIn } from '../signed-in-flag';
import { tellOtherTabs } from '../tab-sync';
import { ConfirmDialog } from './ConfirmDialog';
import { Field } from './Field';

const DeleteAccountDocument = graphql(`
  mutation DeleteAccount($password: String!, $code: String) {
    deleteAccount(password: $password, code: $code)
  }
`);

/** What the user types to confirm: a deliberate act, not a stray click. */
export const CONFIRMATION = 'DELETE';

/** aria-required, not required: the dialog's form would block the submit without a word. */
const inDialog = { idPrefix: 'delete', 'aria-required': 'true' } as const;

export function DeleteAccount() {
  const client = useClient();
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [errors, setErrors] = createSignal(NO_ERRORS);
  const [password, setPassword] = createSignal('');
  const [typed, setTyped] = createSignal('');
  const [code, setCode] = createSignal('');
  const mfaEnabled = createMfaEnabled();

  const close = () => {
    setOpen(false);
    setErrors(NO_ERRORS);
    setPassword('');
    setTyped('');
    setCode('');
  };

  const confirm = async () => {
    if (typed().trim() !== CONFIRMATION) {
      setErrors({ fields: { confirmation: `Type ${CONFIRMATION} to confirm.` }, form: null });
      return;
    }
    setBusy(true);
    // The server revokes this session too (ACCOUNT_DELETED): that is no kick, this tab leaves itself.
    await endingSessionOnPurpose(async () => {
      const result = await client.mutation(DeleteAccountDocument, { password: password(), code: mfaEnabled() ? code() : undefined }).toPromise();
      setBusy(false);
      if (!result.data?.deleteAccount) return setErrors(formErrors(result.error));
      markSignedIn(false);
      setNotice({ text: messageFor('ACCOUNT_DELETED'), tone: 'info' });
      tellOtherTabs({ type: 'session-ended', reason: 'ACCOUNT_DELETED' });
      leaveTo('/login', { replace: true });
    });
  };

  return (
    <section class="card" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete account</h2>
      <p class="muted">
        Deletes your account and signs out all its sessions. Organisations where you are the only member are deleted with it. If you are the only owner of an organisation with other members, make one of
        them an owner first.
      </p>
      <div>
        <button type="button" class="button danger-outline" onClick={() => setOpen(true)}>
          Delete account…
        </button>
      </div>
      <ConfirmDialog open={open()} title="Delete your account?" confirmLabel="Delete account" busy={busy()} error={errors().form} onConfirm={() => void confirm()} onClose={close}>
        <p>This cannot be undone. Every session of your account ends at once.</p>
        <Field {...inDialog} name="password" label="Your password" type="password" autocomplete="current-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} error={errors().fields.password} />
        <Show when={mfaEnabled()}>
          <Field {...inDialog} name="code" label="Authenticator code" inputmode="numeric" autocomplete="one-time-code" value={code()} onInput={(e) => setCode(e.currentTarget.value)} error={errors().fields.code} />
        </Show>
        <Field
          {...inDialog}
          name="confirmation"
          label={`Type ${CONFIRMATION} to confirm`}
          autocomplete="off"
          spellcheck={false}
          value={typed()}
          onInput={(e) => setTyped(e.currentTarget.value)}
          error={errors().fields.confirmation}
        />
      </ConfirmDialog>
    </section>
  );
}
