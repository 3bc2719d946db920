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
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(String(init.body))).toMatchObject({ operationName: 'SignUp', variables: { input: { email: 'ada@example.test', organizationName: 'Engines' } } });
  });

  it('shows an error without a field at the top of the form', async () => {
    renderSignUp(clientAnswering({ data: null, errors: [{ message: 'Too many attempts. Try again later.', extensions: { code: 'RATE_LIMITED' } }] }, 429).client);
    await fillAndSubmit();
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Too many attempts'));
  });
});
