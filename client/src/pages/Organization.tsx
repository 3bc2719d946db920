// The incident console of the current organisation, for its owners and admins: members' sessions
// live, the members and their invitations, "Sign everyone out" (owners), and the audit trail.
// A member never sees it (the navigation hides it, the server refuses every part of it anyway).
import { Show } from 'solid-js';
import { createQuery } from '@urql/solid';
import { AuditTrail } from '../components/AuditTrail';
import { Members } from '../components/Members';
import { OrganizationSessions } from '../components/OrganizationSessions';
import { Page } from '../components/Page';
import { QueryView } from '../components/QueryView';
import { canManageMembers } from '../labels';
import { ViewerQuery } from '../operations';

export function Organization() {
  const [viewer, refetch] = createQuery({ query: ViewerQuery });
  // The live feed ends when the viewer's role no longer allows it: the role is read again, and
  // the console goes away with it.
  const reread = () => refetch({ requestPolicy: 'network-only' });
  return (
    <Page title="Organisation" lead="Where your organisation's members are signed in, right now, and what happened.">
      <QueryView state={viewer} retry={reread} loading="Loading the organisation…">
        {(data) => (
          <Show
            when={canManageMembers(data.me.currentOrganizationRole)}
            fallback={<p class="empty">Only the owners and admins of {data.me.currentOrganization.name} see this page.</p>}
          >
            <div class="stack">
              <OrganizationSessions organizationId={data.me.currentOrganization.id} organizationName={data.me.currentOrganization.name} onFeedEnded={reread} />
              <Members organizationId={data.me.currentOrganization.id} organizationName={data.me.currentOrganization.name} viewerId={data.me.id} viewerRole={data.me.currentOrganizationRole} />
              <AuditTrail />
            </div>
          </Show>
        )}
      </QueryView>
    </Page>
  );
}
