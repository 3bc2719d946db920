// An OWNER's switch for "every member must use two-factor authentication" in the current
// organisation. Turning it on signs out at once the members there who have none; it needs the
// owner's own TOTP on, and a recent password (withReauth opens the dialog when it is not).
import { createSignal, Show } from 'solid-js';
import { useClient } from '@urql/solid';
import { errorMessage } from '../errors';
import { graphql } from '../gql';
import { withReauth } from '../reauth';
import { Alert } from './Alert';

const SetRequirementDocument = graphql(`
  mutation SetOrganizationMfaRequirement($organizationId: ID!, $required: Boolean!) {
    setOrganizationMfaRequirement(organizationId: $organizationId, required: $required) {
      id
      requireMfa
    }
  }
`);

interface ToggleProps {
  organization: { id: string; name: string; requireMfa: boolean };
  ownerHasMfa: boolean;
  onChanged: () => void;
}

export function OrganizationMfaToggle(props: ToggleProps) {
  const client = useClient();
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const blocked = () => !props.organization.requireMfa && !props.ownerHasMfa;

  const change = async (required: boolean, input: HTMLInputElement) => {
    setBusy(true);
    setError(null);
    const result = await withReauth(() => client.mutation(SetRequirementDocument, { organizationId: props.organization.id, required }).toPromise());
    setBusy(false);
    if (result.error) {
      input.checked = !required;
      return setError(errorMessage(result.error));
    }
    props.onChanged();
  };

  return (
    <div class="org-mfa" role="group" aria-labelledby="org-mfa-title">
      <h3 id="org-mfa-title">Require it in {props.organization.name}</h3>
      <Show when={error()}>
        <Alert>{error()}</Alert>
      </Show>
      <label class="check">
        <input
          type="checkbox"
          checked={props.organization.requireMfa}
          disabled={busy() || blocked()}
          aria-describedby="org-mfa-hint"
          onChange={(e) => void change(e.currentTarget.checked, e.currentTarget)}
        />
        <span>Every member must use two-factor authentication</span>
      </label>
      <p class="hint" id="org-mfa-hint">
        {blocked()
          ? 'Turn on two-factor authentication for your own account first.'
          : 'Members without it are signed out of this organisation at once, and set it up at their next sign-in.'}
      </p>
    </div>
  );
}
