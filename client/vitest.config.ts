// Component and module tests of the web client, in jsdom.
import { fileURLToPath } from 'node:url';
import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [solid()],
  test: {
    name: 'client',
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
  },
});
