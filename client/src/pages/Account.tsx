// Who I am, where I am (organisation and role), my invitations, moving between organisations,
// creating one, the password, and deleting the account.
import { createSignal, For, Show } from 'solid-js';
import { A } from '@solidjs/router';
import { createQuery, useClient } from '@urql/solid';
import { Alert, FormMessages } from '../components/Alert';
import { ChangePassword } from '../components/ChangePassword';
import { DeleteAccount } from '../components/DeleteAccount';
import { Field } from '../components/Field';
import { MyInvitations } from '../components/MyInvitations';
import { Page } from '../components/Page';
import { QueryView } from '../components/QueryView';
import { TwoFactorSettings } from '../components/TwoFactorSettings';
import { errorMessage } from '../errors';
import { createMessageSubmit, formValues } from '../forms';
import { graphql } from '../gql';
import type { ViewerQuery as ViewerData } from '../gql/graphql';
import { enterSession } from '../identity';
import { canManageMembers, roleLabel } from '../labels';
import { ViewerQuery } from '../operations';
import { endingSessionOnPurpose } from '../session-kick';

const SwitchOrganizationDocument = graphql(`
  mutation SwitchOrganization($organizationId: ID!) {
    switchOrganization(organizationId: $organizationId) {
      session {
        id
      }
    }
  }
`);

const CreateOrganizationDocument = graphql(`
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      id
      name
    }
  }
`);

type Me = ViewerData['me'];

export function Account() {
  const [viewer, refetch] = createQuery({ query: ViewerQuery });
  return (
    <Page title="Account" lead="Your profile, your organisations and their members, your password.">
      <QueryView state={viewer} retry={() => refetch({ requestPolicy: 'network-only' })} loading="Loading your account…">
        {(data) => (
          <div class="stack">
            <Profile me={data.me} />
            <MyInvitations />
            <OrganizationSwitcher me={data.me} />
            <Show when={canManageMembers(data.me.currentOrganizationRole)}>
              <p class="card muted">
                Members, their sessions and the audit trail of {data.me.currentOrganization.name} are on the <A href="/organization">Organisation</A> page.
              </p>
            </Show>
            <CreateOrganization />
            <ChangePassword />
            <TwoFactorSettings />
            <DeleteAccount />
          </div>
        )}
      </QueryView>
    </Page>
  );
}

function Profile(props: { me: Me }) {
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl class="facts facts-wide">
        <div>
          <dt>Name</dt>
          <dd>{props.me.name}</dd>
        </div>
        <div>
          <dt>E-mail</dt>
          <dd>{props.me.email}</dd>
        </div>
        <div>
          <dt>Current organisation</dt>
          <dd data-testid="current-organization">{props.me.currentOrganization.name}</dd>
        </div>
        <div>
          <dt>Your role</dt>
          <dd>
            <span class="badge">{roleLabel(props.me.currentOrganizationRole)}</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}

function OrganizationSwitcher(props: { me: Me }) {
  const client = useClient();
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const choices = () => props.me.memberships.filter((m) => m.organization.id !== props.me.currentOrganization.id);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const { organizationId = '' } = formValues(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    // The current session is revoked by the switch: that is no kick for this tab.
    const result = await endingSessionOnPurpose(async () => {
      const r = await client.mutation(SwitchOrganizationDocument, { organizationId }).toPromise();
      if (r.data) enterSession('/account');
      return r;
    });
    setBusy(false);
    if (result.error) setError(errorMessage(result.error));
  };

  return (
    <section class="card" aria-labelledby="switch-title">
      <h2 id="switch-title">Switch organisation</h2>
      <Show when={choices().length > 0} fallback={<p class="muted">You belong to one organisation only. Create another below.</p>}>
        <form class="inline-form" onSubmit={submit} aria-busy={busy()}>
          <Show when={error()}>
            <Alert>{error()}</Alert>
          </Show>
          <div class="field">
            <label for="switch-organization">Organisation</label>
            <select id="switch-organization" name="organizationId">
              <For each={choices()}>
                {(m) => (
                  <option value={m.organization.id}>
                    {m.organization.name} ({roleLabel(m.role)})
                  </option>
                )}
              </For>
            </select>
          </div>
          <button type="submit" class="button primary" disabled={busy()}>
            {busy() ? 'Switching…' : 'Switch'}
          </button>
        </form>
      </Show>
    </section>
  );
}

function CreateOrganization() {
  const client = useClient();
  const { errors, busy, done, onSubmit } = createMessageSubmit(
    ({ name = '' }) => client.mutation(CreateOrganizationDocument, { input: { name } }).toPromise(),
    (result) => {
      const org = result.data?.createOrganization;
      return org ? `Created ${org.name}. You are its owner; switch to it above.` : null;
    },
  );

  return (
    <section class="card" aria-labelledby="create-title">
      <h2 id="create-title">Create an organisation</h2>
      <form class="inline-form" noValidate onSubmit={onSubmit} aria-busy={busy()}>
        <FormMessages error={errors().form} success={done()} />
        <Field name="name" idPrefix="create-org" label="Name" autocomplete="organization" required error={errors().fields.name} />
        <button type="submit" class="button primary" disabled={busy()}>
          {busy() ? 'Creating…' : 'Create'}
        </button>
      </form>
    </section>
  );
}
