#!/usr/bin/env node
// Builds the web client when client/dist/index.html is missing (`prestart`), so that the first
// `npm start` gives the whole product on one port. `--force` rebuilds anyway.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const index = path.join(root, 'client', 'dist', 'index.html');

if (existsSync(index) && !process.argv.includes('--force')) process.exit(0);

console.log('Building the web client (client/dist)…');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const result = spawnSync(process.execPath, [vite, 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
