// Small helpers shared by the forms.
import type { FormErrors } from './errors';

export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value === 'string') values[key] = value;
  });
  return values;
}

/** After a failed submit: focus the first field the server named, else the form's message. */
export function focusError(form: HTMLFormElement, errors: FormErrors): void {
  const field = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (field) return field.focus();
  if (errors.form) form.querySelector<HTMLElement>('.alert')?.focus();
}
