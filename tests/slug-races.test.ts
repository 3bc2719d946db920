// Unique violations under concurrency (issue #13 point 9). On PostgreSQL requests run side by
// side: organisations created at once with one name all found the slug free and all but one hit
// the unique index (500), and a sign-up losing that race was told its e-mail was taken. Now a slug
// conflict retries with a new suffix, an e-mail conflict is told by its constraint, and any other
// unique violation is CONFLICT (409), never a 500. (PGlite serialises statements: the races are
// rarer there, the answers the same.)
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../server/db/driver-errors.js';
import { createErrorMasker } from '../server/graphql/mask-errors.js';
import { graphql } from './gql/index.js';
import { gql, PASSWORD, signUp, uniqueEmail } from './helpers/graphql.js';
import { serverWithOwner } from './helpers/per-file.js';

const file = serverWithOwner();

const CREATE_ORG = graphql(`mutation CreateOrganizationSlug($input: CreateOrganizationInput!) { createOrganization(input: $input) { id slug } }`);
const SIGN_UP = graphql(`mutation SignUpSlug($input: SignUpInput!) { signUp(input: $input) { user { id } session { organization { id slug } } } }`);

/** A name no organisation has yet, so that every racer finds its slug free. */
function freshName(): { name: string; slug: string } {
  const tag = randomBytes(4).toString('hex');
  return { name: `Race ${tag}`, slug: `race-${tag}` };
}

function codesOf(responses: { code: string | undefined; status: number }[]): string[] {
  return responses.map((r) => `${r.code ?? 'OK'}/${r.status}`);
}

describe('organisation slugs under concurrency', () => {
  it('6 concurrent createOrganization with one name: 6 organisations, 6 distinct slugs', async () => {
    for (let round = 0; round < 3; round++) {
      const { name, slug } = freshName();
      const responses = await Promise.all(Array.from({ length: 6 }, () => gql(file.server, CREATE_ORG, { input: { name } }, file.owner.auth)));
      expect(codesOf(responses)).toEqual(Array(6).fill('OK/200'));
      const slugs = responses.map((r) => r.data?.createOrganization.slug ?? '');
      expect(new Set(slugs).size).toBe(6);
      expect(slugs).toContain(slug);
      for (const s of slugs) expect(s).toMatch(new RegExp(`^${slug}(-[0-9a-f]+)?$`));
      expect(await file.server.app.services.prisma.organization.count({ where: { name } })).toBe(6);
    }
  });

  it('3 concurrent sign-ups with new e-mails and one organisation name: 3 accounts', async () => {
    for (let round = 0; round < 3; round++) {
      const { name, slug } = freshName();
      const emails = [uniqueEmail('race'), uniqueEmail('race'), uniqueEmail('race')];
      const responses = await Promise.all(
        emails.map((email) => gql(file.server, SIGN_UP, { input: { email, password: PASSWORD, name: 'Racer', organizationName: name } })),
      );
      expect(codesOf(responses), JSON.stringify(responses.map((r) => r.errors))).toEqual(Array(3).fill('OK/200'));
      const slugs = responses.map((r) => r.data?.signUp.session.organization.slug ?? '');
      expect(new Set(slugs).size).toBe(3);
      expect(slugs).toContain(slug);
      expect(await file.server.app.services.prisma.user.count({ where: { email: { in: emails } } })).toBe(3);
    }
  });

  it('concurrent sign-ups with one e-mail: one account; the others are told the e-mail is taken', async () => {
    const email = uniqueEmail('same');
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, i) => gql(file.server, SIGN_UP, { input: { email, password: PASSWORD, name: 'Twin', organizationName: `Twin org ${i}` } })),
    );
    expect(codesOf(responses).sort()).toEqual(['CONFLICT/409', 'CONFLICT/409', 'CONFLICT/409', 'OK/200']);
    for (const r of responses.filter((x) => x.code)) {
      expect(r.errors?.[0]).toMatchObject({ message: 'An account with this e-mail address already exists.', extensions: { field: 'email' } });
    }
    expect(await file.server.app.services.prisma.user.count({ where: { email } })).toBe(1);
  });
});

describe('other unique violations', () => {
  it('the masker turns a real unique violation nobody handled into CONFLICT (409), and the constraint is told apart', async () => {
    const { prisma } = file.server.app.services;
    const err = await prisma.membership.create({ data: { userId: file.owner.userId, organizationId: file.owner.organizationId, role: 'MEMBER' } }).then(() => null, (e: unknown) => e);
    expect(isUniqueViolation(err, 'Membership', ['userId', 'organizationId'])).toBe(true);
    expect(isUniqueViolation(err, 'Organization', ['slug'])).toBe(false);
    expect(isUniqueViolation(err, 'User', ['email'])).toBe(false);
    const masked = createErrorMasker(pino({ level: 'silent' }))(err) as { extensions?: { code?: string; http?: { status?: number } } };
    expect(masked.extensions).toMatchObject({ code: 'CONFLICT', http: { status: 409 } });
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: file.owner.organizationId } });
    const slugErr = await prisma.organization.create({ data: { name: 'x', slug: org.slug } }).then(() => null, (e: unknown) => e);
    expect(isUniqueViolation(slugErr, 'Organization', ['slug'])).toBe(true);
    expect(isUniqueViolation(slugErr, 'User', ['email'])).toBe(false);
  });
});
