// Re-authentication on demand: an action the server answers REAUTHENTICATION_REQUIRED asks for
// the password once (ReauthDialog, mounted once in the Shell), then runs again. Concurrent
// actions share the one dialog.
import type { CombinedError } from '@urql/core';
import { createSignal } from 'solid-js';
import { errorCode } from './errors';

export const REAUTHENTICATION_REQUIRED = 'REAUTHENTICATION_REQUIRED';

/** Settles the open request: true once `reauthenticate` succeeded, false when cancelled. */
type Settle = (confirmed: boolean) => void;

const [settler, setSettler] = createSignal<Settle | null>(null);
let waiting: Promise<boolean> | null = null;

/** Whether the password dialog should be open. */
export const reauthRequested = (): boolean => settler() !== null;

/** Opens the dialog (or joins the open one); resolves when the user confirmed or cancelled. */
export function askForPassword(): Promise<boolean> {
  waiting ??= new Promise<boolean>((resolve) => {
    // A function in a signal is set through an updater.
    setSettler(() => (confirmed: boolean) => {
      waiting = null;
      setSettler(null);
      resolve(confirmed);
    });
  });
  return waiting;
}

/** Called by the dialog; nothing happens when no request is open. */
export function settleReauth(confirmed: boolean): void {
  settler()?.(confirmed);
}

export function needsReauth(error: CombinedError | undefined): boolean {
  return errorCode(error) === REAUTHENTICATION_REQUIRED;
}

/**
 * Runs an action; if the server wants the password again, asks for it and runs the action once
 * more. Cancelled: the first answer (its REAUTHENTICATION_REQUIRED error) is returned.
 */
export async function withReauth<R extends { error?: CombinedError | undefined }>(run: () => Promise<R>): Promise<R> {
  const first = await run();
  if (!needsReauth(first.error) || !(await askForPassword())) return first;
  return run();
}
