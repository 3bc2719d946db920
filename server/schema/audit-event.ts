import { builder } from './builder.js';
import { range } from './validate.js';

builder.prismaObject('AuditEvent', {
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.exposeString('type'),
    sessionId: t.exposeID('sessionId', { nullable: true }),
    organization: t.relation('organization', { nullable: true }),
    ipAddress: t.exposeString('ipAddress', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    details: t.expose('details', { type: 'JSON', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('auditEvents', (t) =>
  t.prismaField({
    type: ['AuditEvent'],
    description: "The signed-in user's own audit events, newest first.",
    args: { first: t.arg.int({ defaultValue: 50, required: true }) },
    authScopes: { signedIn: true },
    resolve: (query, _root, args, ctx) => {
      const auth = ctx.auth();
      return ctx.services.prisma.auditEvent.findMany({
        ...query,
        where: { userId: auth.userId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: range('first', args.first, 1, 200),
      });
    },
  }),
);
