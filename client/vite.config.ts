// The web client: built to client/dist (served by the gateway at /), or served by Vite's dev
// server with hot reload, which passes /graphql (HTTP and WebSocket) on to the gateway.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // Rolldown's report that plugin callbacks (Solid's JSX transform) took most of the build is
    // advice for plugin authors, printed on every first `npm start`.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    port: 5173,
    // Host and Origin stay those of the dev server, which the gateway's socket origin check accepts.
    proxy: { '/graphql': { target: gateway, ws: true } },
  },
});
