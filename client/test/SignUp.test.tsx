// The sign-up page against a stubbed gateway: server field errors land next to their fields.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { Client, fetchExchange } from '@urql/core';
import { Provider } from '@urql/solid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignUp } from '../src/pages/SignUp';

function clientAnswering(body: unknown, status = 200) {
  const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  return { fetch, client: new Client({ url: 'http://gateway.test/graphql', exchanges: [fetchExchange], fetch, preferGetMethod: false }) };
}

/** The bodies of the requests sent with `operationName` (the page also asks whether a session exists). */
function sent(fetch: ReturnType<typeof vi.fn>, operationName: string): unknown[] {
  return (fetch.mock.calls as unknown as [string, RequestInit][]).map(([, init]) => JSON.parse(String(init.body)) as { operationName: string }).filter((b) => b.operationName === operationName);
}

function renderSignUp(client: Client) {
  return render(() => (
    <Provider value={client}>
      <MemoryRouter>
        <Route path="/" component={SignUp} />
      </MemoryRouter>
    </Provider>
  ));
}

async function fillAndSubmit() {
  fireEvent.input(screen.getByLabelText('Your name'), { target: { value: 'Ada' } });
  fireEvent.input(screen.getByLabelText('E-mail'), { target: { value: 'ada@example.test' } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
  fireEvent.input(screen.getByLabelText('Organisation name'), { target: { value: 'Engines' } });
  fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
}

afterEach(cleanup);

describe('sign-up page', () => {
  it('labels every field and focuses the page title', () => {
    renderSignUp(clientAnswering({ data: null }).client);
    for (const label of ['Your name', 'E-mail', 'Password', 'Organisation name']) expect(screen.getByLabelText(label).tagName).toBe('INPUT');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Create your account' }));
  });

  it('shows a duplicate e-mail next to the e-mail field and focuses it', async () => {
    const { client, fetch } = clientAnswering({ data: null, errors: [{ message: 'An account with this e-mail address already exists.', extensions: { code: 'CONFLICT', field: 'email' } }] }, 409);
    renderSignUp(client);
    await fillAndSubmit();
    const email = screen.getByLabelText('E-mail');
    await vi.waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = email.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toBe('An account with this e-mail address already exists.');
    expect(document.activeElement).toBe(email);
    expect(sent(fetch, 'SignUp')).toMatchObject([{ variables: { input: { email: 'ada@example.test', organizationName: 'Engines' } } }]);
  });

  it('flags every empty field at once, each with its message, focuses the first and sends nothing', async () => {
    const { client, fetch } = clientAnswering({ data: null });
    renderSignUp(client);
    fireEvent.input(screen.getByLabelText('E-mail'), { target: { value: 'not an address' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    const messages = {
      'Your name': 'Your name is required.',
      'E-mail': 'Enter a valid e-mail address.',
      Password: 'Password must be at least 8 characters long.',
      'Organisation name': 'Organisation name is required.',
    };
    for (const [label, message] of Object.entries(messages)) {
      const input = screen.getByLabelText(label);
      expect(input.getAttribute('aria-invalid'), label).toBe('true');
      const described = (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
      expect(described, label).toContain(message);
    }
    expect(document.activeElement).toBe(screen.getByLabelText('Your name'));
    expect(sent(fetch, 'SignUp')).toEqual([]);
  });

  it("shows the server's refusal of a weak password, with its hint, next to the password field", async () => {
    const refusal = 'This password is too easy to guess. This is a top-10 common password. Add more words that are less common.';
    renderSignUp(clientAnswering({ data: null, errors: [{ message: refusal, extensions: { code: 'BAD_USER_INPUT', field: 'password' } }] }, 400).client);
    await fillAndSubmit();
    const password = screen.getByLabelText('Password');
    await vi.waitFor(() => expect(password.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('f-password-error')?.textContent).toBe(refusal);
    expect(document.activeElement).toBe(password);
  });

  it('shows an error without a field at the top of the form', async () => {
    renderSignUp(clientAnswering({ data: null, errors: [{ message: 'Too many attempts. Try again later.', extensions: { code: 'RATE_LIMITED' } }] }, 429).client);
    await fillAndSubmit();
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Too many attempts'));
  });
});
