// Inviting people to the current organisation and the invitations still pending, for its owners
// and admins. Inviting asks for the password again when the sign-in is not recent (reauth.ts).
import { createSignal, For, Show } from 'solid-js';
import { createQuery, useClient } from '@urql/solid';
import { errorMessage } from '../errors';
import { createMessageSubmit } from '../forms';
import { graphql } from '../gql';
import type { Role } from '../gql/graphql';
import { roleLabel, toRole } from '../labels';
import { withReauth } from '../reauth';
import { Alert, FormMessages } from './Alert';
import { Field } from './Field';
import { QueryView } from './QueryView';
import { RelativeTime } from './RelativeTime';

const OrganizationInvitationsDocument = graphql(`
  query OrganizationInvitations {
    me {
      id
      currentOrganization {
        id
        invitations {
          id
          email
          role
          expiresAt
          invitedBy {
            id
            name
          }
        }
      }
    }
  }
`);

const InviteMemberDocument = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      id
      email
      role
      status
      expiresAt
    }
  }
`);

const RevokeInvitationDocument = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id) {
      id
      status
    }
  }
`);

// The list holds no Invitation yet when it is empty: named, so that an invitation refreshes it.
const INVITATION_CONTEXT = { additionalTypenames: ['Invitation'] };

export function Invitations(props: { organizationId: string; viewerRole: Role; roles: Role[] }) {
  const client = useClient();
  const [pending, refetch] = createQuery({ query: OrganizationInvitationsDocument, context: INVITATION_CONTEXT });
  const [status, setStatus] = createSignal<{ tone: 'success' | 'error'; text: string } | null>(null);
  // Only an owner revokes an owner's invitation (the server enforces it; the UI does not offer it).
  const revocable = (role: Role) => props.viewerRole === 'OWNER' || role !== 'OWNER';

  const revoke = async (id: string, email: string) => {
    setStatus(null);
    const result = await client.mutation(RevokeInvitationDocument, { id }, INVITATION_CONTEXT).toPromise();
    if (result.error) return setStatus({ tone: 'error', text: errorMessage(result.error) });
    setStatus({ tone: 'success', text: `The invitation of ${email} was revoked.` });
  };

  return (
    <div class="stack">
      <InviteMember organizationId={props.organizationId} roles={props.roles} />
      <h3>Pending invitations</h3>
      <Show when={status()}>{(s) => <Alert tone={s().tone}>{s().text}</Alert>}</Show>
      <QueryView state={pending} retry={() => refetch({ requestPolicy: 'network-only' })} loading="Loading invitations…">
        {(data) => (
          <Show when={data.me.currentOrganization.invitations.length > 0} fallback={<p class="muted">No invitation is waiting for an answer.</p>}>
            <ul class="member-list" aria-label="Pending invitations">
              <For each={data.me.currentOrganization.invitations}>
                {(i) => (
                  <li class="member">
                    <div class="member-who">
                      <span class="member-name">{i.email}</span>
                      <span class="muted member-email">
                        {roleLabel(i.role)}
                        <Show when={i.invitedBy}>{(by) => <>, invited by {by().name}</>}</Show>, expires <RelativeTime value={i.expiresAt} />
                      </span>
                    </div>
                    <Show when={revocable(i.role)}>
                      <button type="button" class="button danger-outline small" aria-label={`Revoke the invitation of ${i.email}`} onClick={() => void revoke(i.id, i.email)}>
                        Revoke
                      </button>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </QueryView>
    </div>
  );
}

function InviteMember(props: { organizationId: string; roles: Role[] }) {
  const client = useClient();
  const { errors, busy, done, onSubmit } = createMessageSubmit(
    ({ email = '', role = '' }) =>
      withReauth(() => client.mutation(InviteMemberDocument, { input: { organizationId: props.organizationId, email, role: toRole(role) ?? 'MEMBER' } }, INVITATION_CONTEXT).toPromise()),
    (result) => (result.data ? `Invited ${result.data.inviteMember.email}: they get an e-mail, and see the invitation once signed in with that address.` : null),
  );

  return (
    <form class="inline-form add-member" noValidate onSubmit={onSubmit} aria-busy={busy()}>
      <h3>Invite someone</h3>
      <FormMessages error={errors().form} success={done()} />
      <Field name="email" idPrefix="invite-member" label="E-mail address" type="email" autocomplete="off" required error={errors().fields.email} />
      <div class="field">
        <label for="invite-member-role">Role</label>
        <select id="invite-member-role" name="role">
          {/* Least power first, so that the default (and a reset form) invites a plain member. */}
          <For each={[...props.roles].reverse()}>{(r) => <option value={r}>{roleLabel(r)}</option>}</For>
        </select>
      </div>
      <button type="submit" class="button primary" disabled={busy()}>
        {busy() ? 'Inviting…' : 'Invite'}
      </button>
    </form>
  );
}
