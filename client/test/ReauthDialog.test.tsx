// The re-authentication prompt against a stubbed gateway: an action answered
// REAUTHENTICATION_REQUIRED opens the password dialog, a right password retries it, Escape gives up.
import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { Client, fetchExchange } from '@urql/core';
import { Provider } from '@urql/solid';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReauthDialog } from '../src/components/ReauthDialog';
import { RevokeOrganizationSessionsMutation } from '../src/operations';
import { withReauth } from '../src/reauth';

// jsdom has <dialog> without its modal behaviour.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
});
afterEach(cleanup);

type Answer = { status?: number; body: unknown };
const REAUTH_REQUIRED: Answer = { status: 403, body: { data: null, errors: [{ message: 'Enter your password again to do this.', extensions: { code: 'REAUTHENTICATION_REQUIRED' } }] } };
const WRONG: Answer = { status: 400, body: { data: null, errors: [{ message: 'The password is wrong.', extensions: { code: 'BAD_USER_INPUT', field: 'password' } }] } };
const REVOKED: Answer = { body: { data: { revokeOrganizationSessions: { revokedCount: 3 } } } };
const REAUTHENTICATED: Answer = { body: { data: { reauthenticate: { id: 's1' } } } };

/** A gateway that answers each operation name with its queue of answers, in order. */
function gateway(answers: Record<string, Answer[]>) {
  const calls: { operationName: string; variables: Record<string, unknown> }[] = [];
  const fetch = vi.fn(async (_url: unknown, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { operationName: string; variables: Record<string, unknown> };
    calls.push(body);
    const answer = answers[body.operationName]?.shift() ?? { status: 500, body: { errors: [{ message: 'unexpected' }] } };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
  });
  const client = new Client({ url: 'http://gateway.test/graphql', exchanges: [fetchExchange], fetch, preferGetMethod: false, requestPolicy: 'network-only' });
  return { client, calls };
}

function mount(client: Client) {
  render(() => (
    <Provider value={client}>
      <ReauthDialog />
    </Provider>
  ));
  return () => withReauth(() => client.mutation(RevokeOrganizationSessionsMutation, { organizationId: 'o1' }).toPromise());
}

describe('re-authentication dialog', () => {
  it('asks for the password (focused, type=password, current-password), shows a wrong one, and retries after a right one', async () => {
    const { client, calls } = gateway({ RevokeOrganizationSessions: [REAUTH_REQUIRED, REVOKED], Reauthenticate: [WRONG, REAUTHENTICATED] });
    const action = mount(client)();
    const input = await vi.waitFor(() => screen.getByLabelText('Password') as HTMLInputElement);
    await vi.waitFor(() => expect(input.closest('dialog')?.hasAttribute('open')).toBe(true));
    expect(input.type).toBe('password');
    expect(input.getAttribute('autocomplete')).toBe('current-password');
    expect(document.activeElement).toBe(input);

    fireEvent.input(input, { target: { value: 'not it at all' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await vi.waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).toBe('The password is wrong.');

    input.value = 'the right one';
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    const result = await action;
    expect(result.data?.revokeOrganizationSessions.revokedCount).toBe(3);
    expect(calls.map((c) => c.operationName)).toEqual(['RevokeOrganizationSessions', 'Reauthenticate', 'Reauthenticate', 'RevokeOrganizationSessions']);
    expect(calls[2]?.variables).toEqual({ password: 'the right one' });
    expect(input.closest('dialog')?.hasAttribute('open')).toBe(false);
  });

  it('Escape (the dialog closing) gives up: the action is not retried and keeps its error', async () => {
    const { client, calls } = gateway({ RevokeOrganizationSessions: [REAUTH_REQUIRED] });
    const action = mount(client)();
    const input = await vi.waitFor(() => screen.getByLabelText('Password'));
    const dialog = input.closest('dialog');
    await vi.waitFor(() => expect(dialog?.hasAttribute('open')).toBe(true));
    dialog?.close(); // what Escape does to a modal dialog
    const result = await action;
    expect(result.error?.graphQLErrors[0]?.extensions.code).toBe('REAUTHENTICATION_REQUIRED');
    expect(calls.map((c) => c.operationName)).toEqual(['RevokeOrganizationSessions']);
  });

  it('an action that needs no password goes through without the dialog', async () => {
    const { client, calls } = gateway({ RevokeOrganizationSessions: [REVOKED] });
    const result = await mount(client)();
    expect(result.data?.revokeOrganizationSessions.revokedCount).toBe(3);
    expect(calls).toHaveLength(1);
    expect(screen.getByLabelText('Password').closest('dialog')?.hasAttribute('open')).toBe(false);
  });
});
