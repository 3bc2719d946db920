// The members of the current organisation, for its owners and admins: invite (Invitations.tsx),
// change role, sign out, remove. Each action asks for the password again when the sign-in is not recent (reauth.ts).
import { createSignal, For, Show } from 'solid-js';
import { createQuery, useClient } from '@urql/solid';
import { errorMessage } from '../errors';
import { createMessageSubmit } from '../forms';
import { graphql } from '../gql';
import type { MembersQuery, Role } from '../gql/graphql';
import { ROLES, roleLabel, toRole } from '../labels';
import { RevokeMemberSessionsMutation } from '../operations';
import { withReauth } from '../reauth';
import { Alert, FormMessages } from './Alert';
import { ConfirmDialog } from './ConfirmDialog';
import { Field } from './Field';
import { QueryView } from './QueryView';
import { Invitations } from './Invitations';
import { SignEveryoneOut } from './SignEveryoneOut';

const MembersDocument = graphql(`
  query Members {
    me {
      id
      currentOrganization {
        id
        members {
          id
          role
          createdAt
          user {
            id
            name
            email
          }
        }
      }
    }
  }
`);

const UpdateMemberRoleDocument = graphql(`
  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {
    updateMemberRole(input: $input) {
      id
      role
    }
  }
`);

const RemoveMemberDocument = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input) {
      id
    }
  }
`);

type Member = MembersQuery['me']['currentOrganization']['members'][number];

interface MembersProps {
  organizationId: string;
  organizationName: string;
  viewerId: string;
  viewerRole: Role;
}

export function Members(props: MembersProps) {
  const client = useClient();
  const [members, refetch] = createQuery({ query: MembersDocument });
  const [status, setStatus] = createSignal<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [removing, setRemoving] = createSignal<Member | null>(null);
  const [removeError, setRemoveError] = createSignal<string | null>(null);
  const [signingOut, setSigningOut] = createSignal<Member | null>(null);
  const [signOutError, setSignOutError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  // Only an owner grants OWNER or touches an owner (the server enforces it; the UI does not offer it).
  const grantable = () => (props.viewerRole === 'OWNER' ? ROLES : ROLES.filter((r) => r !== 'OWNER'));
  const editable = (m: Member) => m.user.id !== props.viewerId && (props.viewerRole === 'OWNER' || m.role !== 'OWNER');

  const changeRole = async (m: Member, role: Role, select: HTMLSelectElement) => {
    setStatus(null);
    const result = await withReauth(() => client.mutation(UpdateMemberRoleDocument, { input: { organizationId: props.organizationId, userId: m.user.id, role } }).toPromise());
    if (result.error) {
      select.value = m.role;
      return setStatus({ tone: 'error', text: errorMessage(result.error) });
    }
    setStatus({ tone: 'success', text: `${m.user.name} is now ${roleLabel(role).toLowerCase()}.` });
  };

  const remove = async () => {
    const m = removing();
    if (!m) return;
    setBusy(true);
    const result = await withReauth(() => client.mutation(RemoveMemberDocument, { input: { organizationId: props.organizationId, userId: m.user.id } }).toPromise());
    setBusy(false);
    if (result.error) return setRemoveError(errorMessage(result.error));
    setRemoving(null);
    setStatus({ tone: 'success', text: `${m.user.name} was removed from ${props.organizationName}.` });
  };

  const signOutMember = async () => {
    const m = signingOut();
    if (!m) return;
    setStatus(null);
    setBusy(true);
    const result = await withReauth(() => client.mutation(RevokeMemberSessionsMutation, { input: { organizationId: props.organizationId, userId: m.user.id } }).toPromise());
    setBusy(false);
    const count = result.data?.revokeMemberSessions.revokedCount;
    if (count === undefined) return setSignOutError(result.error ? errorMessage(result.error) : 'Something went wrong.');
    setSigningOut(null);
    setStatus({ tone: 'success', text: `Signed out ${m.user.name}: ${count === 1 ? '1 session' : `${count} sessions`} ended.` });
  };

  return (
    <section class="card" aria-labelledby="members-title">
      <h2 id="members-title">Members of {props.organizationName}</h2>
      <Show when={status()}>{(s) => <Alert tone={s().tone}>{s().text}</Alert>}</Show>
      <QueryView state={members} retry={() => refetch({ requestPolicy: 'network-only' })} loading="Loading members…">
        {(data) => (
          <ul class="member-list" aria-label="Members">
            <For each={data.me.currentOrganization.members}>
              {(m) => (
                <li class="member">
                  <div class="member-who">
                    <span class="member-name">
                      {m.user.name}
                      <Show when={m.user.id === props.viewerId}>
                        <span class="badge">You</span>
                      </Show>
                    </span>
                    <span class="muted member-email">{m.user.email}</span>
                  </div>
                  <Show when={editable(m)} fallback={<span class="badge">{roleLabel(m.role)}</span>}>
                    <div class="member-actions">
                      <label class="visually-hidden" for={`role-${m.id}`}>
                        Role of {m.user.name}
                      </label>
                      <select id={`role-${m.id}`} value={m.role} onChange={(e) => {
                          const role = toRole(e.currentTarget.value);
                          if (role) void changeRole(m, role, e.currentTarget);
                        }}>
                        <For each={grantable()}>{(r) => <option value={r}>{roleLabel(r)}</option>}</For>
                      </select>
                      <button type="button" class="button secondary small" aria-label={`Sign out ${m.user.name}`} onClick={() => setSigningOut(m)}>
                        Sign out
                      </button>
                      <button type="button" class="button danger-outline small" aria-label={`Remove ${m.user.name}`} onClick={() => setRemoving(m)}>
                        Remove
                      </button>
                    </div>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        )}
      </QueryView>
      <Invitations organizationId={props.organizationId} viewerRole={props.viewerRole} roles={grantable()} />
      <Show when={props.viewerRole === 'OWNER'}>
        <SignEveryoneOut organizationId={props.organizationId} organizationName={props.organizationName} />
      </Show>
      <ConfirmDialog
        open={signingOut() !== null}
        title="Sign out this member?"
        confirmLabel="Sign out"
        busy={busy()}
        error={signOutError()}
        onConfirm={signOutMember}
        onClose={() => {
          setSigningOut(null);
          setSignOutError(null);
        }}
      >
        <p>
          Every session of <strong>{signingOut()?.user.name}</strong> in {props.organizationName} ends at once. They stay a member and can sign in again; their sessions in other organisations are not touched.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={removing() !== null}
        title="Remove this member?"
        confirmLabel="Remove"
        busy={busy()}
        error={removeError()}
        onConfirm={remove}
        onClose={() => {
          setRemoving(null);
          setRemoveError(null);
        }}
      >
        <p>
          <strong>{removing()?.user.name}</strong> loses access to {props.organizationName}, and their sessions in it end at once.
        </p>
      </ConfirmDialog>
    </section>
  );
}
