// A labelled input with its hint and its error (from the server), tied together for assistive
// technology through aria-describedby and aria-invalid.
import { Show, splitProps } from 'solid-js';
import type { JSX } from 'solid-js';

type InputProps = JSX.InputHTMLAttributes<HTMLInputElement>;

interface FieldProps extends Omit<InputProps, 'id'> {
  name: string;
  label: string;
  /** Prefix for element ids when one page has two forms with the same field names. */
  idPrefix?: string;
  hint?: string;
  error?: string | undefined;
}

export function Field(props: FieldProps) {
  const [own, input] = splitProps(props, ['name', 'label', 'idPrefix', 'hint', 'error']);
  const id = () => `${own.idPrefix ?? 'f'}-${own.name}`;
  const describedBy = () => [own.hint ? `${id()}-hint` : '', own.error ? `${id()}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field" classList={{ invalid: Boolean(own.error) }}>
      <label for={id()}>{own.label}</label>
      <input {...input} id={id()} name={own.name} aria-invalid={own.error ? 'true' : undefined} aria-describedby={describedBy()} />
      <Show when={own.hint}>
        <p class="hint" id={`${id()}-hint`}>{own.hint}</p>
      </Show>
      <Show when={own.error}>
        <p class="field-error" id={`${id()}-error`}>
          {own.error}
        </p>
      </Show>
    </div>
  );
}
