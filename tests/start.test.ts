// `npm start` runs the compiled server (dist/server), not the sources: run its prestart (web app
// and server builds), start the build on an embedded database of its own, and use it.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { gql, ok, signUp, WHO_AM_I } from './helpers/graphql.js';
import type { GatewayProcess } from './helpers/process.js';
import { ROOT, spawnGateway } from './helpers/process.js';

describe('the compiled server', () => {
  let gateway: GatewayProcess;
  let dataDir: string;
  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'prestart'], { cwd: ROOT, stdio: 'ignore' });
    dataDir = await mkdtemp(path.join(tmpdir(), 'sg-start-'));
    gateway = await spawnGateway({ DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' }, { built: true });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('migrates its embedded database, serves GraphQL and the web app, and lists sessions', async () => {
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    expect((await gql(gateway, WHO_AM_I)).code).toBe('UNAUTHENTICATED');
    const user = await signUp(gateway);
    const data = await ok(gateway, graphql(`query SessionRoles { sessions { id isCurrent role } }`), undefined, user.auth);
    expect(data.sessions).toEqual([{ id: user.sessionId, isCurrent: true, role: 'OWNER' }]);
    const page = await fetch(`${gateway.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    // Connections to its own origin only, WebSocket included (ASVS 5.0 14.2.3).
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/connect-src 'self';/);
    expect(csp).not.toMatch(/\bwss?:/);
  });
});
