// The signed-in user's own pending invitations (to their e-mail address): accept or decline each.
// Accepting makes a membership; the organisation switcher then offers it.
import { createSignal, For, Show } from 'solid-js';
import { createQuery, useClient } from '@urql/solid';
import { errorMessage } from '../errors';
import { graphql } from '../gql';
import { roleLabel } from '../labels';
import { Alert } from './Alert';
import { QueryView } from './QueryView';
import { RelativeTime } from './RelativeTime';

const MyInvitationsDocument = graphql(`
  query MyInvitations {
    me {
      id
      invitations {
        id
        role
        expiresAt
        organization {
          id
          name
        }
        invitedBy {
          id
          name
        }
      }
    }
  }
`);

const AcceptInvitationDocument = graphql(`
  mutation AcceptInvitation($id: ID!) {
    acceptInvitation(id: $id) {
      id
      role
      organization {
        id
        name
      }
    }
  }
`);

const DeclineInvitationDocument = graphql(`
  mutation DeclineInvitation($id: ID!) {
    declineInvitation(id: $id) {
      id
      status
    }
  }
`);

const INVITATION_CONTEXT = { additionalTypenames: ['Invitation', 'Membership'] };

export function MyInvitations() {
  const client = useClient();
  const [invitations, refetch] = createQuery({ query: MyInvitationsDocument, context: INVITATION_CONTEXT });
  const [status, setStatus] = createSignal<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = createSignal(false);

  const answer = async (id: string, organizationName: string, accept: boolean) => {
    setStatus(null);
    setBusy(true);
    const result = accept
      ? await client.mutation(AcceptInvitationDocument, { id }, INVITATION_CONTEXT).toPromise()
      : await client.mutation(DeclineInvitationDocument, { id }, INVITATION_CONTEXT).toPromise();
    setBusy(false);
    if (result.error) return setStatus({ tone: 'error', text: errorMessage(result.error) });
    setStatus({ tone: 'success', text: accept ? `You joined ${organizationName}: switch to it below.` : `You declined the invitation to ${organizationName}.` });
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <QueryView state={invitations} retry={() => refetch({ requestPolicy: 'network-only' })} loading="Loading invitations…">
      {(data) => (
        <Show when={data.me.invitations.length > 0 || status()}>
          <section class="card" id="invitations" aria-labelledby="invitations-title">
            <h2 id="invitations-title">Invitations</h2>
            <Show when={status()}>{(s) => <Alert tone={s().tone}>{s().text}</Alert>}</Show>
            <ul class="member-list" aria-label="Your invitations">
              <For each={data.me.invitations}>
                {(i) => (
                  <li class="member">
                    <div class="member-who">
                      <span class="member-name">{i.organization.name}</span>
                      <span class="muted member-email">
                        As {roleLabel(i.role).toLowerCase()}
                        <Show when={i.invitedBy}>{(by) => <>, invited by {by().name}</>}</Show>, expires <RelativeTime value={i.expiresAt} />
                      </span>
                    </div>
                    <div class="member-actions">
                      <button type="button" class="button primary small" disabled={busy()} aria-label={`Accept the invitation to ${i.organization.name}`} onClick={() => void answer(i.id, i.organization.name, true)}>
                        Accept
                      </button>
                      <button type="button" class="button secondary small" disabled={busy()} aria-label={`Decline the invitation to ${i.organization.name}`} onClick={() => void answer(i.id, i.organization.name, false)}>
                        Decline
                      </button>
                    </div>
                  </li>
                )}
              </For>
            </ul>
          </section>
        </Show>
      )}
    </QueryView>
  );
}
