#!/usr/bin/env node
// Compiles server/ (TypeScript, Prisma's generated client included) to dist/server/, file by
// file, for `npm start`. Why not run the sources through tsx: tsx compiles with esbuild's
// keepNames, which gives every closure created at run time a `name` property of its own: memory
// held by every open WebSocket, and a `__name` call per closure on every request.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'server');

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: sources(path.join(root, 'server')),
  outbase: path.join(root, 'server'),
  outdir,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  keepNames: false,
  logLevel: 'warning',
});
