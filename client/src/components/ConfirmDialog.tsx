// A modal confirmation on the native <dialog>: focus moves into it, Escape cancels, and focus
// returns to the button that opened it.
import { createEffect, Show } from 'solid-js';
import type { JSX } from 'solid-js';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: JSX.Element;
  confirmLabel: string;
  busy?: boolean;
  /** The confirm button stays off until this is false (a typed confirmation). */
  confirmDisabled?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
}

let counter = 0;

export function ConfirmDialog(props: ConfirmDialogProps) {
  let dialog: HTMLDialogElement | undefined;
  const id = `dialog-${++counter}`;
  createEffect(() => {
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    else if (!props.open && dialog.open) dialog.close();
  });
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} onClose={() => props.onClose()}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (!props.busy && !props.confirmDisabled) props.onConfirm();
        }}
      >
        <h2 id={`${id}-title`}>{props.title}</h2>
        <div id={`${id}-body`} class="dialog-body">
          {props.children}
        </div>
        <Show when={props.error}>
          <p class="field-error" role="alert">
            {props.error}
          </p>
        </Show>
        <div class="dialog-actions">
          <button type="button" class="button secondary" autofocus onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={props.busy || props.confirmDisabled}>
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
