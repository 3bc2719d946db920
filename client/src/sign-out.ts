// Signing out on purpose: end the session, tell the other tabs, and leave with a clean client.
import type { Client } from '@urql/core';
import { errorMessage } from './errors';
import { leaveTo } from './navigation';
import { setNotice } from './notice';
import { SignOutMutation } from './operations';
import { endingSessionOnPurpose } from './session-kick';
import { markSignedIn } from './signed-in-flag';
import { tellOtherTabs } from './tab-sync';
import { isUnauthenticated } from './urql';

/** Resolves to an error message when the sign-out failed; the tab leaves otherwise. */
export function signOut(client: Client): Promise<string | null> {
  return endingSessionOnPurpose(async () => {
    const result = await client.mutation(SignOutMutation, {}).toPromise();
    // Already gone is as good as signed out.
    if (result.error && !isUnauthenticated(result.error)) return errorMessage(result.error);
    markSignedIn(false);
    setNotice({ text: 'You have signed out.', tone: 'info' });
    tellOtherTabs({ type: 'session-ended', reason: 'SIGNED_OUT' });
    leaveTo('/login');
    return null;
  });
}
