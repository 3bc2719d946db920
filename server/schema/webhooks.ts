// Per-organisation webhook endpoints (docs/WEBHOOKS.md): an OWNER creates, lists, updates, deletes
// them and rotates their secret, which is shown once. Another tenant's endpoint is NOT_FOUND.
import { AUDIT, audit, byCaller } from '../audit/events.js';
import type { Context } from '../graphql/context.js';
import { badInput, fail } from '../graphql/errors.js';
import type { WebhookEndpoint } from '../generated/prisma/client.js';
import { CAEP_EVENTS } from '../webhooks/caep.js';
import { WEBHOOK_EVENTS, isWebhookEvent } from '../webhooks/events.js';
import { openGate } from '../webhooks/gate.js';
import { newSecret, sealSecret } from '../webhooks/secrets.js';
import { urlProblem } from '../webhooks/ssrf.js';
import { builder } from './builder.js';
import { RequestScopes } from './scopes.js';
import { isUuid } from './validate.js';

const OWNER_ONLY = 'Only an owner can manage webhooks.';
/** Endpoints per organisation: each event is one outbox row per endpoint. */
const MAX_ENDPOINTS = 10;

export function ownerOf(organizationId: string) {
  return { organizationRole: { organizationId, min: 'OWNER' as const, refusal: OWNER_ONLY, recent: true } };
}

/** An OWNER of the endpoint's organisation; unknown, the operator's or another tenant's: NOT_FOUND. */
export async function ownedEndpoint(ctx: Context, id: string): Promise<WebhookEndpoint> {
  const endpoint = isUuid(id) ? await ctx.services.prisma.webhookEndpoint.findUnique({ where: { id } }) : null;
  if (!endpoint?.organizationId) fail('NOT_FOUND', { message: 'Webhook endpoint not found.' });
  await new RequestScopes(ctx).organizationRole(ownerOf(endpoint.organizationId).organizationRole);
  return endpoint;
}

function checkedUrl(ctx: Context, url: string): string {
  const problem = urlProblem(url.trim(), ctx.services.config.webhooks.allowPrivateTargets);
  if (problem) badInput('url', problem);
  return url.trim();
}

type Format = 'STANDARD_WEBHOOKS' | 'CAEP';

/** A CAEP endpoint takes only the events CAEP has a type for (webhooks/caep.ts). */
function checkedEvents(events: readonly string[], format: Format): string[] {
  if (events.length === 0) badInput('events', 'Choose at least one event.');
  const unknown = events.find((e) => !isWebhookEvent(e));
  if (unknown !== undefined) badInput('events', `Unknown event "${unknown.slice(0, 40)}": one of ${WEBHOOK_EVENTS.join(', ')}.`);
  const notCaep = format === 'CAEP' ? events.find((e) => !(CAEP_EVENTS as readonly string[]).includes(e)) : undefined;
  if (notCaep !== undefined) badInput('events', `A CAEP endpoint takes only ${CAEP_EVENTS.join(', ')}; not "${notCaep}".`);
  return [...new Set(events)];
}

export const WebhookFormatEnum = builder.enumType('WebhookFormat', {
  description: 'How deliveries are sent and signed (docs/WEBHOOKS.md).',
  values: {
    STANDARD_WEBHOOKS: { description: 'A JSON body signed with the endpoint secret (Standard Webhooks).' },
    CAEP: { description: 'A Security Event Token (RFC 8417, CAEP 1.0) pushed per RFC 8935, signed with the key published at /.well-known/jwks.json. Events: session.revoked, user.credential_changed.' },
  } as const,
});

export const WebhookEndpointType = builder.prismaObject('WebhookEndpoint', {
  description: 'Where the organisation\'s events are sent, signed with its secret (never shown again after creation or rotation).',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    events: t.exposeStringList('events', { description: `Any of ${WEBHOOK_EVENTS.join(', ')}.` }),
    format: t.expose('format', { type: WebhookFormatEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const EndpointWithSecret = builder.objectRef<{ endpoint: WebhookEndpoint; secret: string }>('WebhookEndpointWithSecret').implement({
  description: 'An endpoint and its signing secret: the only time the secret is shown.',
  fields: (t) => ({
    endpoint: t.field({ type: WebhookEndpointType, resolve: (p) => p.endpoint }),
    secret: t.exposeString('secret', { description: 'whsec_ + base64 of 32 random bytes (Standard Webhooks). A CAEP endpoint\'s SETs are signed with the gateway\'s key instead (/.well-known/jwks.json); its secret serves if it is switched to STANDARD_WEBHOOKS.' }),
  }),
});

builder.prismaObjectField('Organization', 'webhookEndpoints', (t) =>
  t.prismaField({
    type: ['WebhookEndpoint'],
    description: 'OWNER only.',
    resolve: async (query, org, _args, ctx) => {
      await new RequestScopes(ctx).organizationRole({ ...ownerOf(org.id).organizationRole, recent: false });
      return ctx.services.prisma.webhookEndpoint.findMany({ ...query, where: { organizationId: org.id }, orderBy: { createdAt: 'asc' } });
    },
  }),
);

const CreateInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    url: t.string({ required: true }),
    events: t.stringList({ required: true }),
    format: t.field({ type: WebhookFormatEnum, defaultValue: 'STANDARD_WEBHOOKS', description: 'STANDARD_WEBHOOKS by default.' }),
  }),
});

const UpdateInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string(),
    events: t.stringList(),
    format: t.field({ type: WebhookFormatEnum }),
  }),
});

builder.mutationField('createWebhookEndpoint', (t) =>
  t.field({
    type: EndpointWithSecret,
    description: 'OWNER only, after a recent authentication. The secret is returned here once.',
    args: { input: t.arg({ type: CreateInput, required: true }) },
    authScopes: (_root, { input }) => ownerOf(String(input.organizationId)),
    resolve: async (_root, { input }, ctx) => {
      const organizationId = String(input.organizationId);
      const url = checkedUrl(ctx, input.url);
      const format = input.format ?? 'STANDARD_WEBHOOKS';
      const events = checkedEvents(input.events, format);
      const { prisma, mfaSecrets } = ctx.services;
      if ((await prisma.webhookEndpoint.count({ where: { organizationId } })) >= MAX_ENDPOINTS) fail('CONFLICT', { message: `An organisation has at most ${MAX_ENDPOINTS} webhook endpoints.` });
      const id = crypto.randomUUID();
      const secret = newSecret();
      const endpoint = await prisma.webhookEndpoint.create({ data: { id, organizationId, url, events, format, secret: await sealSecret(mfaSecrets, secret, id) } });
      // From now on this instance's revocations write outbox rows (webhooks/gate.ts).
      openGate(prisma);
      await audit(prisma, { type: AUDIT.WEBHOOK_ENDPOINT_CREATED, ...byCaller(ctx.auth(), ctx.client), organizationId, details: { endpointId: id, url, events, format } });
      return { endpoint, secret };
    },
  }),
);

builder.mutationField('updateWebhookEndpoint', (t) =>
  t.field({
    type: WebhookEndpointType,
    description: 'OWNER only, after a recent authentication. Deliveries already written keep their URL\'s endpoint: they go to the new URL.',
    args: { input: t.arg({ type: UpdateInput, required: true }) },
    authScopes: { signedIn: true },
    resolve: async (_root, { input }, ctx) => {
      const endpoint = await ownedEndpoint(ctx, String(input.id));
      const url = input.url == null ? endpoint.url : checkedUrl(ctx, input.url);
      const format = input.format ?? endpoint.format;
      // The events are checked again against a new format.
      const events = checkedEvents(input.events ?? endpoint.events, format);
      const { prisma } = ctx.services;
      const updated = await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { url, events, format, updatedAt: ctx.services.clock.now() } });
      await audit(prisma, { type: AUDIT.WEBHOOK_ENDPOINT_UPDATED, ...byCaller(ctx.auth(), ctx.client), organizationId: endpoint.organizationId, details: { endpointId: endpoint.id, url, events, format } });
      return updated;
    },
  }),
);

builder.mutationField('deleteWebhookEndpoint', (t) =>
  t.field({
    type: WebhookEndpointType,
    description: 'OWNER only, after a recent authentication. Its pending deliveries and their history go with it.',
    args: { id: t.arg.id({ required: true }) },
    authScopes: { signedIn: true },
    resolve: async (_root, args, ctx) => {
      const endpoint = await ownedEndpoint(ctx, String(args.id));
      const { prisma } = ctx.services;
      await prisma.webhookEndpoint.delete({ where: { id: endpoint.id } });
      await audit(prisma, { type: AUDIT.WEBHOOK_ENDPOINT_DELETED, ...byCaller(ctx.auth(), ctx.client), organizationId: endpoint.organizationId, details: { endpointId: endpoint.id } });
      return endpoint;
    },
  }),
);

builder.mutationField('rotateWebhookSecret', (t) =>
  t.field({
    type: EndpointWithSecret,
    description: 'OWNER only, after a recent authentication. A new secret, returned here once; the old one signs nothing from now on.',
    args: { id: t.arg.id({ required: true }) },
    authScopes: { signedIn: true },
    resolve: async (_root, args, ctx) => {
      const endpoint = await ownedEndpoint(ctx, String(args.id));
      const { prisma, mfaSecrets } = ctx.services;
      const secret = newSecret();
      const updated = await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { secret: await sealSecret(mfaSecrets, secret, endpoint.id), updatedAt: ctx.services.clock.now() } });
      await audit(prisma, { type: AUDIT.WEBHOOK_SECRET_ROTATED, ...byCaller(ctx.auth(), ctx.client), organizationId: endpoint.organizationId, details: { endpointId: endpoint.id } });
      return { endpoint: updated, secret };
    },
  }),
);
