// "Sign everyone out" for an organisation's owner: every session in it but this one ends at once.
// Behind a typed confirmation of the organisation's name, as it cannot be undone.
import { createSignal, Show } from 'solid-js';
import { useClient } from '@urql/solid';
import { errorMessage } from '../errors';
import { RevokeOrganizationSessionsMutation } from '../operations';
import { withReauth } from '../reauth';
import { Alert } from './Alert';
import { ConfirmDialog } from './ConfirmDialog';
import { Field } from './Field';

interface SignEveryoneOutProps {
  organizationId: string;
  organizationName: string;
}

export function SignEveryoneOut(props: SignEveryoneOutProps) {
  const client = useClient();
  const [open, setOpen] = createSignal(false);
  const [typed, setTyped] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<string | null>(null);

  // Spaces around the name are forgiven; its letters and their case are not.
  const matches = () => typed().trim() === props.organizationName.trim();

  const close = () => {
    setOpen(false);
    setTyped('');
    setError(null);
  };

  const confirm = async () => {
    setBusy(true);
    const result = await withReauth(() => client.mutation(RevokeOrganizationSessionsMutation, { organizationId: props.organizationId }).toPromise());
    setBusy(false);
    const count = result.data?.revokeOrganizationSessions.revokedCount;
    if (count === undefined) return setError(result.error ? errorMessage(result.error) : 'Something went wrong.');
    close();
    setDone(`Signed out ${count === 1 ? '1 session' : `${count} sessions`} in ${props.organizationName}. Your session here stays.`);
  };

  return (
    <div class="sign-everyone-out">
      <h3>Sign everyone out</h3>
      <p class="muted">Ends every session in {props.organizationName} at once — every member's, and your other ones — except this one. Everyone can sign in again.</p>
      <Show when={done()}>
        <Alert tone="success">{done()}</Alert>
      </Show>
      <button
        type="button"
        class="button danger-outline"
        onClick={() => {
          setDone(null);
          setOpen(true);
        }}
      >
        Sign everyone out
      </button>
      <ConfirmDialog open={open()} title={`Sign everyone out of ${props.organizationName}?`} confirmLabel="Sign everyone out" busy={busy()} confirmDisabled={!matches()} error={error()} onConfirm={confirm} onClose={close}>
        <p>Every session in this organisation but yours ends at once. To confirm, type the organisation's name.</p>
        <Field name="organization-name" idPrefix="sign-everyone-out" label={`Type “${props.organizationName}” to confirm`} autocomplete="off" autofocus value={typed()} onInput={(e) => setTyped(e.currentTarget.value)} />
      </ConfirmDialog>
    </div>
  );
}
