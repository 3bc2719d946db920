// Ten recovery codes, shown once (enrolment, regeneration): a heading that takes focus so that the
// news is read first, the codes as a list, and "I saved them" to go on.
import { For, onMount } from 'solid-js';

interface RecoveryCodesProps {
  codes: string[];
  /** Why they are shown, in one sentence before the list. */
  lead: string;
  onSaved: () => void;
  savedLabel?: string;
}

export function RecoveryCodes(props: RecoveryCodesProps) {
  let heading: HTMLHeadingElement | undefined;
  onMount(() => heading?.focus());
  const copy = () => void navigator.clipboard?.writeText(props.codes.join('\n'));
  return (
    <div class="recovery-codes" role="group" aria-labelledby="recovery-codes-title">
      <h3 id="recovery-codes-title" ref={heading} tabIndex={-1}>
        Save your recovery codes
      </h3>
      <p>{props.lead}</p>
      <p class="muted">Each code works once, in place of a code from your app, if you lose your phone. They are shown only now: keep them somewhere safe, like a password manager.</p>
      <ol class="code-list" aria-label="Recovery codes" data-testid="recovery-codes">
        <For each={props.codes}>{(code) => <li><code>{code}</code></li>}</For>
      </ol>
      <div class="button-row">
        <button type="button" class="button secondary" onClick={copy}>
          Copy codes
        </button>
        <button type="button" class="button primary" onClick={() => props.onSaved()}>
          {props.savedLabel ?? 'I saved them'}
        </button>
      </div>
    </div>
  );
}
