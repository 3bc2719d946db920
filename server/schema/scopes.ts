// The access rules that fields declare with `authScopes` (@pothos/plugin-scope-auth). Each loader
// throws the refusal's own coded error (UNAUTHENTICATED with its refusal logged, NOT_FOUND,
// FORBIDDEN, REAUTHENTICATION_REQUIRED), exactly as the resolvers did before; none answers false.
import { requireRecentAuth } from '../auth/reauth.js';
import { hasAtLeast } from '../auth/roles.js';
import type { Context } from '../graphql/context.js';
import { fail } from '../graphql/errors.js';
import type { Role } from '../generated/prisma/enums.js';
import { isUuid } from './validate.js';

export interface OrganizationRoleScope {
  /** The organisation the field's arguments name. */
  organizationId: string;
  /** MEMBER lets any member in; ADMIN, an OWNER or an ADMIN; OWNER, an OWNER only. */
  min: Role;
  /** The FORBIDDEN message for a member below `min`. */
  refusal: string;
  /** A recent authentication too, checked first: REAUTHENTICATION_REQUIRED before any role. */
  recent?: boolean;
}

export interface AuthScopes {
  /** A live session: what `ctx.auth()` then reads. */
  signedIn: boolean;
  /** A live session that proved its password lately (auth/reauth.ts). */
  recentAuth: boolean;
  /** At least `min` in an organisation of the viewer; another tenant's (or none) is NOT_FOUND. */
  organizationRole: OrganizationRoleScope;
}

/** The viewer's role in an organisation; not a member (or no such organisation) is NOT_FOUND. */
export async function roleIn(ctx: Context, organizationId: string): Promise<Role> {
  const role = isUuid(organizationId) ? (await ctx.viewerRoles()).get(organizationId) : undefined;
  return role ?? fail('NOT_FOUND', { message: 'Organization not found.' });
}

/**
 * The scope loaders, made for each field with scopes (builder.ts). The methods are shared on the
 * prototype (the plugin calls them bound to this object), and each reads the context's memoized
 * session check and roles: a second field with scopes in one request queries nothing more.
 */
export class RequestScopes {
  constructor(private readonly ctx: Context) {}

  async signedIn(): Promise<boolean> {
    await this.ctx.requireAuth();
    return true;
  }

  async recentAuth(): Promise<boolean> {
    await requireRecentAuth(this.ctx);
    return true;
  }

  async organizationRole({ organizationId, min, refusal, recent }: OrganizationRoleScope): Promise<boolean> {
    if (recent) await requireRecentAuth(this.ctx);
    if (!hasAtLeast(await roleIn(this.ctx, organizationId), min)) fail('FORBIDDEN', { message: refusal });
    return true;
  }
}
