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

/**
 * A password being chosen (sign-up, change, reset). The length is checked before sending; the
 * server judges the strength and its refusal, with zxcvbn's hint, shows as the field's error.
 */
export function NewPasswordField(props: { name: string; label: string; idPrefix?: string; error?: string | undefined }) {
  return (
    <Field
      name={props.name}
      idPrefix={props.idPrefix}
      label={props.label}
      type="password"
      autocomplete="new-password"
      required
      minLength={8}
      hint="At least 8 characters, hard to guess: not a common password, nor your name or e-mail. A few unrelated words work well."
      error={props.error}
    />
  );
}
