// One run, two projects: the whole suite on embedded PGlite, and again on PostgreSQL (+ Redis)
// when DATABASE_URL is set. Each test file starts its own server and makes its own users.
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { oneGraphql } from './tests/helpers/one-graphql.js';

const databaseUrl = process.env.DATABASE_URL;
const shared = {
  include: ['tests/**/*.test.ts'],
  exclude: ['tests/e2e/**', 'node_modules/**'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

const projects: (TestProjectInlineConfiguration | string)[] = [
  { resolve: oneGraphql, test: { ...shared, name: 'pglite', env: { TEST_DATABASE_URL: '', TEST_REDIS_URL: '' } } },
  // The web client's component tests (jsdom) and the browser tests (Chromium, PGlite).
  'client/vitest.config.ts',
  'vitest.e2e.config.ts',
];
if (databaseUrl) {
  projects.push({
    resolve: oneGraphql,
    test: {
      ...shared,
      name: 'postgres',
      env: { TEST_DATABASE_URL: databaseUrl, TEST_REDIS_URL: process.env.REDIS_URL ?? '' },
      globalSetup: ['tests/helpers/migrate-postgres.ts'],
    },
  });
}

export default defineConfig({
  test: {
    projects,
    pool: 'forks',
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
