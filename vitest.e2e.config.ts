// End-to-end: the real gateway serving the built client, driven in Debian's Chromium through
// playwright-core. One file at a time: each starts its own server and browser.
import { defineConfig } from 'vitest/config';
import { oneGraphql } from './tests/helpers/one-graphql.js';

export default defineConfig({
  resolve: oneGraphql,
  test: {
    name: 'e2e',
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/build-client.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
