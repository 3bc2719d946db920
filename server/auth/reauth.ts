// The one rule of re-authentication (ASVS 5.0 7.5.2, 7.4.5): ending sessions and managing members
// need a session that proved its password recently — signed in, or `reauthenticate`d, within
// REAUTH_WINDOW_SECONDS. A stolen but older session can read, not lock the owner out.
import type { Context } from '../graphql/context.js';
import { fail } from '../graphql/errors.js';
import type { AuthState } from '../sessions/types.js';

export function isRecentlyAuthenticated(auth: Pick<AuthState, 'authenticatedAt'>, now: Date, windowMs: number): boolean {
  return now.getTime() - auth.authenticatedAt.getTime() <= windowMs;
}

/** The signed-in state when its authentication is recent; else REAUTHENTICATION_REQUIRED (403), before anything changes. */
export async function requireRecentAuth(ctx: Context): Promise<AuthState> {
  const auth = await ctx.requireAuth();
  const { clock, config } = ctx.services;
  if (!isRecentlyAuthenticated(auth, clock.now(), config.reauthWindowMs)) fail('REAUTHENTICATION_REQUIRED');
  return auth;
}
