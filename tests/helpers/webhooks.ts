// Webhook endpoints through the API, for the webhook tests; a test server's webhook settings.
import type { WebhookConfig } from '../../server/webhooks/config.js';
import { loadWebhookConfig } from '../../server/webhooks/config.js';
import type { WebhookFormat } from '../gql/graphql.js';
import { graphql } from '../gql/index.js';
import type { TestUser } from './graphql.js';
import { ok } from './graphql.js';
import type { TestServer } from './server.js';

/** Fast polls and retries, loopback receivers allowed. */
export function fastWebhooks(overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  return { ...loadWebhookConfig({}), allowPrivateTargets: true, pollMs: 100, retryBaseMs: 200, retryMaxMs: 1000, timeoutMs: 2000, ...overrides };
}

export const CREATE_ENDPOINT = graphql(`mutation CreateWebhookEndpointT($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url events } } }`);

export async function createEndpoint(server: Pick<TestServer, 'graphqlUrl'>, owner: TestUser, url: string, events: string[], organizationId = owner.organizationId, format: WebhookFormat = 'STANDARD_WEBHOOKS'): Promise<{ id: string; secret: string }> {
  const data = await ok(server, CREATE_ENDPOINT, { input: { organizationId, url, events, format } }, owner.auth);
  return { id: data.createWebhookEndpoint.endpoint.id, secret: data.createWebhookEndpoint.secret };
}

export const ALL_EVENTS = ['session.created', 'session.revoked', 'session.updated', 'member.joined', 'member.removed', 'member.role_changed', 'user.credential_changed'];
export const CAEP_EVENTS = ['session.revoked', 'user.credential_changed'];
