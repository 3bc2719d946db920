// Installed in place of @prisma/streams-local: package.json depends on this folder, and its
// overrides hand it to @prisma/dev. The real package needs Node 22 (node:sqlite), and only the
// local Prisma Postgres of `prisma init` loads it, which this project never starts: its databases
// are PGlite in-process or PostgreSQL.
throw new Error('@prisma/streams-local is a stub in this project (see package.json): the local Prisma Postgres of `prisma init` is not available here.');
