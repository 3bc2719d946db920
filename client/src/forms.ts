// Small helpers shared by the forms.
import { createSignal } from 'solid-js';
import type { Accessor, Setter } from 'solid-js';
import type { CombinedError } from '@urql/core';
import type { FormErrors } from './errors';
import { NO_ERRORS, formErrors } from './errors';

export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value === 'string') values[key] = value;
  });
  return values;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function isControl(el: Element): el is Control {
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
}

/** The field's own words: its label ("E-mail"), else its name. */
function labelOf(control: Control): string {
  return control.labels?.[0]?.textContent?.trim() || control.name;
}

/** A field that cannot be right, as the markup says (required, type=email, minlength); null if it may be. */
function problemOf(control: Control): string | null {
  // Passwords count every character, spaces included; other text is trimmed, as the server does.
  const value = control.type === 'password' ? control.value : control.value.trim();
  if (control.required && value === '') return `${labelOf(control)} is required.`;
  if (value === '') return null;
  if (control.validity.typeMismatch && control.type === 'email') return 'Enter a valid e-mail address.';
  const min = control instanceof HTMLSelectElement ? -1 : control.minLength;
  // In code points, as the server counts (an emoji is one character).
  if (min > 0 && [...value].length < min) return `${labelOf(control)} must be at least ${min} characters long.`;
  return null;
}

/**
 * Every field of the form that is wrong before any request (empty, not an e-mail address, too
 * short), by name: all of them at once, where the server would name only its first.
 */
export function fieldProblems(form: HTMLFormElement): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const el of Array.from(form.elements)) {
    if (!isControl(el) || !el.name || el.disabled || el.name in problems) continue;
    const problem = problemOf(el);
    if (problem) problems[el.name] = problem;
  }
  return problems;
}

/** After a failed submit: focus the first field the server named, else the form's message. */
export function focusError(form: HTMLFormElement, errors: FormErrors): void {
  const field = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (field) return field.focus();
  if (errors.form) form.querySelector<HTMLElement>('.alert')?.focus();
}

/** A form's submit handler and what it shows: the server's errors, and whether a request is out. */
export interface FormSubmit {
  errors: Accessor<FormErrors>;
  setErrors: Setter<FormErrors>;
  busy: Accessor<boolean>;
  onSubmit: (event: SubmitEvent) => Promise<void>;
}

/**
 * A form that sends one request with its values: busy meanwhile, then `settled` sees the answer.
 * It returns true when it took the answer (a success, a next step); otherwise the form shows the
 * answer's errors, the first field the server named (else the message) takes focus, and then
 * `refused` runs, if given. Fields that are wrong as they stand (fieldProblems) are shown the same
 * way, all together, and nothing is sent.
 */
export function createSubmit<R extends { error?: CombinedError }>(
  send: (values: Record<string, string>) => Promise<R>,
  settled: (result: R, form: HTMLFormElement) => boolean,
  refused?: () => void,
): FormSubmit {
  const [errors, setErrors] = createSignal(NO_ERRORS);
  const [busy, setBusy] = createSignal(false);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const refuse = (e: FormErrors) => {
      setErrors(e);
      focusError(form, e);
      refused?.();
    };
    const problems = fieldProblems(form);
    if (Object.keys(problems).length > 0) return refuse({ fields: problems, form: null });
    const values = formValues(form);
    setBusy(true);
    const result = await send(values);
    setBusy(false);
    if (settled(result, form)) return;
    refuse(formErrors(result.error));
  };
  return { errors, setErrors, busy, onSubmit };
}

/** A form that stays on the page after a success, and says what was done. */
export interface MessageSubmit extends FormSubmit {
  done: Accessor<string | null>;
}

/**
 * createSubmit for such a form: `message` tells a success (its text, from the answer and the values
 * sent) from a refusal (null). On a success the errors clear, the message shows and the fields empty.
 */
export function createMessageSubmit<R extends { error?: CombinedError }>(
  send: (values: Record<string, string>) => Promise<R>,
  message: (result: R, values: Record<string, string>) => string | null,
): MessageSubmit {
  const [done, setDone] = createSignal<string | null>(null);
  let sent: Record<string, string> = {};
  const submit = createSubmit(
    (values) => {
      sent = values;
      setDone(null);
      return send(values);
    },
    (result, form) => {
      const text = message(result, sent);
      if (text === null) return false;
      submit.setErrors(NO_ERRORS);
      setDone(text);
      form.reset();
      return true;
    },
  );
  return { ...submit, done };
}
