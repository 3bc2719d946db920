// Operations used by more than one module. Page-specific ones live next to their page.
import { graphql } from './gql';

export const SessionFieldsFragment = graphql(`
  fragment SessionFields on Session {
    id
    browser
    os
    device
    ipAddress
    location
    role
    isCurrent
    createdAt
    lastActiveAt
    expiresAt
    organization {
      id
      name
    }
  }
`);

export const SessionEventsSubscription = graphql(`
  subscription SessionEvents {
    sessionEvents {
      type
      reason
      session {
        ...SessionFields
      }
    }
  }
`);

export const ViewerQuery = graphql(`
  query Viewer {
    me {
      id
      name
      email
      currentOrganizationRole
      currentOrganization {
        id
        name
        slug
      }
      memberships {
        id
        role
        organization {
          id
          name
        }
      }
    }
  }
`);

export const SignOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);
