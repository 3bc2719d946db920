// An organisation's webhook deliveries (OWNER only): a relay-style connection, newest first, each
// with its attempts; redeliverWebhook queues one more attempt of a finished delivery (same webhook-id).
import { AUDIT, audit, byCaller } from '../audit/events.js';
import { fail } from '../graphql/errors.js';
import type { WebhookAttempt, WebhookDelivery } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { RequestScopes } from './scopes.js';
import { isUuid } from './validate.js';
import { WebhookEndpointType, ownedEndpoint, ownerOf } from './webhooks.js';

type DeliveryRow = WebhookDelivery & { attempts: WebhookAttempt[] };

const MAX_PAGE = 100;

const DeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Waiting for its first or next attempt.' },
    DELIVERED: { description: 'A 2xx answer was received.' },
    FAILED: { description: 'Every attempt failed (about a day and more of retries), or its last redelivery failed.' },
  } as const,
});

const AttemptType = builder.objectRef<WebhookAttempt>('WebhookAttempt').implement({
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: "The receiver's HTTP status; null when none came (refused, timeout, connection error)." }),
    error: t.exposeString('error', { nullable: true }),
    durationMs: t.exposeInt('durationMs'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, description: 'When the next attempt was scheduled after this one; null when none was.' }),
  }),
});

const DeliveryType = builder.objectRef<DeliveryRow>('WebhookDelivery').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The webhook-id header of every attempt: receivers dedupe by it.' }),
    type: t.exposeString('type'),
    status: t.field({ type: DeliveryStatus, resolve: (d) => d.status as 'PENDING' | 'DELIVERED' | 'FAILED' }),
    payload: t.field({ type: 'JSON', resolve: (d) => d.payload }),
    endpoint: t.field({ type: WebhookEndpointType, resolve: (d, _args, ctx) => ctx.services.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: d.endpointId } }) }),
    attemptCount: t.exposeInt('attemptCount'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null) }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    attempts: t.field({ type: [AttemptType], resolve: (d) => d.attempts }),
  }),
});

const Edge = builder.objectRef<DeliveryRow>('WebhookDeliveryEdge').implement({
  fields: (t) => ({
    cursor: t.field({ type: 'String', resolve: (d) => d.id }),
    node: t.field({ type: DeliveryType, resolve: (d) => d }),
  }),
});

const PageInfo = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('WebhookDeliveryPageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

const Connection = builder.objectRef<{ rows: DeliveryRow[]; hasNextPage: boolean; totalCount: () => Promise<number> }>('WebhookDeliveryConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [Edge], resolve: (c) => c.rows }),
    pageInfo: t.field({ type: PageInfo, resolve: (c) => ({ hasNextPage: c.hasNextPage, endCursor: c.rows.at(-1)?.id ?? null }) }),
    totalCount: t.int({ resolve: (c) => c.totalCount() }),
  }),
});

builder.prismaObjectField('Organization', 'webhookDeliveries', (t) =>
  t.field({
    type: Connection,
    description: "Deliveries to this organisation's endpoints, newest first. OWNER only.",
    args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.string() },
    resolve: async (org, args, ctx) => {
      await new RequestScopes(ctx).organizationRole({ ...ownerOf(org.id).organizationRole, recent: false });
      const first = Math.max(1, Math.min(MAX_PAGE, args.first ?? 20));
      const where = { endpoint: { organizationId: org.id } };
      const after = args.after && isUuid(args.after) ? args.after : null;
      if (args.after && !after) fail('BAD_USER_INPUT', { field: 'after', message: 'Not a cursor of this list.' });
      const rows = await ctx.services.prisma.webhookDelivery.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
        ...(after ? { cursor: { id: after }, skip: 1 } : {}),
        include: { attempts: { orderBy: { at: 'asc' } } },
      });
      return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount: () => ctx.services.prisma.webhookDelivery.count({ where }) };
    },
  }),
);

builder.mutationField('redeliverWebhook', (t) =>
  t.field({
    type: DeliveryType,
    description: 'One more attempt of a delivered or failed delivery, with the same webhook-id. OWNER only, after a recent authentication; a pending one: CONFLICT.',
    args: { id: t.arg.id({ required: true }) },
    authScopes: { signedIn: true },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const { prisma, clock } = ctx.services;
      const delivery = isUuid(id) ? await prisma.webhookDelivery.findUnique({ where: { id }, select: { endpointId: true } }) : null;
      if (!delivery) fail('NOT_FOUND', { message: 'Webhook delivery not found.' });
      // NOT_FOUND alike for another tenant's and the operator's.
      const endpoint = await ownedEndpoint(ctx, delivery.endpointId).catch((err: unknown) => {
        if ((err as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND') fail('NOT_FOUND', { message: 'Webhook delivery not found.' });
        throw err;
      });
      // Only a finished one: a pending one may be in flight on some instance right now.
      const { count } = await prisma.webhookDelivery.updateMany({ where: { id, status: { not: 'PENDING' } }, data: { status: 'PENDING', nextAttemptAt: clock.now(), finishedAt: null } });
      if (count === 0) fail('CONFLICT', { message: 'This delivery is still pending.' });
      await audit(prisma, { type: AUDIT.WEBHOOK_REDELIVERED, ...byCaller(ctx.auth(), ctx.client), organizationId: endpoint.organizationId, details: { deliveryId: id } });
      return prisma.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { attempts: { orderBy: { at: 'asc' } } } });
    },
  }),
);
