// The Account page's "Two-factor authentication" section: turn TOTP on (password, QR code and key,
// a first code, the recovery codes once), turn it off or get new recovery codes (password and a
// current code each); and, for an OWNER, the organisation's requirement (OrganizationMfaToggle).
import { createSignal, Match, Show, Switch } from 'solid-js';
import type { JSX } from 'solid-js';
import { createQuery, useClient } from '@urql/solid';
import { NO_ERRORS, formErrors } from '../errors';
import { focusError, formValues } from '../forms';
import { graphql } from '../gql';
import { StartTotpEnrollmentMutation, TwoFactorStatusQuery } from '../operations';
import { Alert } from './Alert';
import { Field } from './Field';
import { OrganizationMfaToggle } from './OrganizationMfaToggle';
import { RecoveryCodes } from './RecoveryCodes';
import { TotpEnrollment } from './TotpEnrollment';

const DisableTotpDocument = graphql(`
  mutation DisableTotp($password: String!, $code: String!) {
    disableTotp(password: $password, code: $code)
  }
`);

const RegenerateRecoveryCodesDocument = graphql(`
  mutation RegenerateRecoveryCodes($password: String!, $code: String!) {
    regenerateRecoveryCodes(password: $password, code: $code)
  }
`);

type Mode = { kind: 'idle' } | { kind: 'enrolling'; secret: string; otpauthUri: string } | { kind: 'codes'; codes: string[] };

export function TwoFactorSettings() {
  const client = useClient();
  const [status, refetch] = createQuery({ query: TwoFactorStatusQuery });
  const [mode, setMode] = createSignal<Mode>({ kind: 'idle' });
  const [done, setDone] = createSignal<string | null>(null);
  const me = () => status.data?.me;
  const enrolling = () => {
    const m = mode();
    return m.kind === 'enrolling' ? m : undefined;
  };
  const newCodes = () => {
    const m = mode();
    return m.kind === 'codes' ? m.codes : undefined;
  };
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const finish = (message: string) => {
    setMode({ kind: 'idle' });
    setDone(message);
    reload();
  };

  const start = async (password: string) => {
    const result = await client.mutation(StartTotpEnrollmentMutation, { password }).toPromise();
    const enrollment = result.data?.startTotpEnrollment;
    if (enrollment) setMode({ kind: 'enrolling', ...enrollment });
    return result.error;
  };

  return (
    <section class="card" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Two-factor authentication</h2>
      <Show when={me()} fallback={<p class="muted">Loading…</p>}>
        {(m) => (
          <div class="stack">
            <p>
              Status:{' '}
              <span class="badge" data-testid="mfa-status">
                {m().mfaEnabled ? 'On' : 'Off'}
              </span>
            </p>
            <Show when={done()}>
              <Alert tone="success">{done()}</Alert>
            </Show>
            <Switch>
              <Match when={enrolling()}>
                {(e) => <TotpEnrollment enrollment={e()} onConfirmed={reload} onDone={() => finish('Two-factor authentication is on.')} onCancel={() => setMode({ kind: 'idle' })} />}
              </Match>
              <Match when={newCodes()}>
                {(codes) => <RecoveryCodes codes={codes()} lead="Your new recovery codes: the previous ones no longer work." savedLabel="I saved them" onSaved={() => finish('New recovery codes saved.')} />}
              </Match>
              <Match when={!m().mfaEnabled}>
                <p class="muted">Protect your account with a code from an authenticator app on your phone, asked after your password at every sign-in.</p>
                <PasswordAndCode idPrefix="mfa-enable" submitLabel="Set up two-factor authentication" busyLabel="Checking…" withCode={false} onSubmit={(password) => start(password)} />
              </Match>
              <Match when={m().mfaEnabled}>
                <p class="muted">Signing in asks for a code from your authenticator app after your password. Turning it off signs out your other sessions.</p>
                <h3>New recovery codes</h3>
                <PasswordAndCode
                  idPrefix="mfa-regenerate"
                  submitLabel="Get new recovery codes"
                  busyLabel="Generating…"
                  withCode
                  onSubmit={async (password, code) => {
                    const result = await client.mutation(RegenerateRecoveryCodesDocument, { password, code }).toPromise();
                    if (result.data) setMode({ kind: 'codes', codes: result.data.regenerateRecoveryCodes });
                    return result.error;
                  }}
                />
                <h3>Turn off</h3>
                <PasswordAndCode
                  idPrefix="mfa-disable"
                  submitLabel="Turn off two-factor authentication"
                  busyLabel="Turning off…"
                  danger
                  withCode
                  onSubmit={async (password, code) => {
                    const result = await client.mutation(DisableTotpDocument, { password, code }).toPromise();
                    if (result.data?.disableTotp) finish('Two-factor authentication is off. Your other sessions were signed out.');
                    return result.error;
                  }}
                />
              </Match>
            </Switch>
            <Show when={m().currentOrganizationRole === 'OWNER' && mode().kind === 'idle'}>
              <OrganizationMfaToggle organization={m().currentOrganization} ownerHasMfa={m().mfaEnabled} onChanged={reload} />
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}

interface PasswordAndCodeProps {
  idPrefix: string;
  submitLabel: string;
  busyLabel: string;
  withCode: boolean;
  danger?: boolean;
  /** Resolves with the error to show, if any. */
  onSubmit: (password: string, code: string) => Promise<Parameters<typeof formErrors>[0]>;
}

/** The password, and a current code (or a recovery code) where the factor is already on. */
function PasswordAndCode(props: PasswordAndCodeProps): JSX.Element {
  const [errors, setErrors] = createSignal(NO_ERRORS);
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const { password = '', code = '' } = formValues(form);
    setBusy(true);
    const error = await props.onSubmit(password, code);
    setBusy(false);
    const e = formErrors(error);
    setErrors(e);
    if (error) focusError(form, e);
  };
  return (
    <form class="form narrow-form" noValidate onSubmit={submit} aria-busy={busy()}>
      <Show when={errors().form}>
        <Alert>{errors().form}</Alert>
      </Show>
      <Field name="password" idPrefix={props.idPrefix} label="Password" type="password" autocomplete="current-password" required error={errors().fields.password} />
      <Show when={props.withCode}>
        <Field name="code" idPrefix={props.idPrefix} label="Code from your app, or a recovery code" autocomplete="one-time-code" required error={errors().fields.code} />
      </Show>
      <div>
        <button type="submit" class={props.danger ? 'button danger-outline' : 'button primary'} disabled={busy()}>
          {busy() ? props.busyLabel : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
