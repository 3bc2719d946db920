// The password prompt of re-authentication (reauth.ts): a modal <dialog> with focus in the
// password field; Escape or Cancel gives up, a right password lets the waiting action run again.
import { createEffect, createSignal, onCleanup } from 'solid-js';
import { useClient } from '@urql/solid';
import { formErrors } from '../errors';
import { ReauthenticateMutation } from '../operations';
import { endingSessionOnPurpose } from '../session-kick';
import { reauthRequested, settleReauth } from '../reauth';
import { Field } from './Field';

export function ReauthDialog() {
  const client = useClient();
  let dialog: HTMLDialogElement | undefined;
  let input: HTMLInputElement | undefined;
  const [error, setError] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);

  createEffect(() => {
    if (!dialog) return;
    if (reauthRequested() && !dialog.open) {
      setError(undefined);
      if (input) input.value = '';
      dialog.showModal();
      input?.focus();
    } else if (!reauthRequested() && dialog.open) dialog.close();
  });
  // A page that goes away (a kick, a new client) must not leave an action waiting.
  onCleanup(() => settleReauth(false));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const password = input?.value ?? '';
    setBusy(true);
    // This session's token is replaced (the old one ends at once): a request of the old token
    // refused meanwhile is no news that the session ended.
    const result = await endingSessionOnPurpose(() => client.mutation(ReauthenticateMutation, { password }).toPromise());
    setBusy(false);
    if (result.data) {
      if (input) input.value = '';
      settleReauth(true);
      return;
    }
    const e = formErrors(result.error);
    setError(e.fields.password ?? e.form ?? 'Something went wrong. Please try again.');
    input?.select();
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="reauth-title" aria-describedby="reauth-body" onClose={() => settleReauth(false)}>
      <form noValidate onSubmit={submit} aria-busy={busy()}>
        <h2 id="reauth-title">Confirm it's you</h2>
        <div id="reauth-body" class="dialog-body">
          <p>Enter your password again to continue. You will not be asked again for a few minutes.</p>
          <Field ref={input} name="password" idPrefix="reauth" label="Password" type="password" autocomplete="current-password" required error={error()} />
        </div>
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={() => settleReauth(false)}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={busy()}>
            {busy() ? 'Checking…' : 'Continue'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
