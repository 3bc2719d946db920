// Messages: errors are announced at once (role=alert), and can take focus after a failed submit.
import { Show } from 'solid-js';
import type { JSX } from 'solid-js';

interface AlertProps {
  tone?: 'error' | 'warning' | 'info' | 'success';
  children: JSX.Element;
  action?: JSX.Element;
  ref?: (el: HTMLDivElement) => void;
}

export function Alert(props: AlertProps) {
  const tone = () => props.tone ?? 'error';
  return (
    <div ref={props.ref} class={`alert alert-${tone()}`} role={tone() === 'error' || tone() === 'warning' ? 'alert' : 'status'} tabIndex={-1}>
      <span class="alert-text">{props.children}</span>
      <Show when={props.action}>{props.action}</Show>
    </div>
  );
}

export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? 'Loading…'}
    </p>
  );
}

/** A form's messages: the server's error (when it names no field), and what a success did. */
export function FormMessages(props: { error: string | null; success?: string | null }) {
  return (
    <>
      <Show when={props.error}>
        <Alert>{props.error}</Alert>
      </Show>
      <Show when={props.success}>
        <Alert tone="success">{props.success}</Alert>
      </Show>
    </>
  );
}

/**
 * What an action did, in a live region that is always in the page: a region inserted together
 * with its text often goes unannounced. Screen readers say each new text politely.
 */
export function LiveStatus(props: { text: string | null }) {
  return (
    <div class="live-status" role="status" aria-live="polite">
      <Show when={props.text}>
        <div class="alert alert-success">
          <span class="alert-text">{props.text}</span>
        </div>
      </Show>
    </div>
  );
}
