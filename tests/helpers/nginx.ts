// A real nginx (Debian's package) in front of the gateway and an application, for the forward-auth
// tests: its own directory (config, logs, pid, temp paths), a free port, no root needed. The
// config below is the one docs/PROXIES.md shows as tested.
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './process.js';

/** The nginx binary, or null when none is installed (the tests then skip, saying so). */
export function findNginx(): string | null {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

const IDENTITY = [
  ['X-Session-Id', 'x_session_id'],
  ['X-User-Id', 'x_user_id'],
  ['X-User-Email', 'x_user_email'],
  ['X-Organization-Id', 'x_organization_id'],
  ['X-Role', 'x_role'],
] as const;

/** The internal location that asks the gateway about the request's session. */
function verifyLocation(name: string, uri: string): string {
  return `    location = ${name} {
        internal;
        proxy_pass http://gateway${uri};
        proxy_pass_request_body off;
        proxy_set_header Content-Length "";
        proxy_set_header Cookie $http_cookie;
        proxy_set_header Authorization $http_authorization;
        proxy_set_header X-Original-URI $request_uri;
        proxy_set_header X-Original-Method $request_method;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
    }
`;
}

/** A location of the application behind the session check; the identity headers are set, never passed on from the client. */
function protectedLocation(prefix: string, verify: string): string {
  const set = IDENTITY.map(([, v]) => `        auth_request_set $sg_${v.slice(2)} $upstream_http_${v};\n`).join('');
  const send = IDENTITY.map(([h, v]) => `        proxy_set_header ${h} $sg_${v.slice(2)};\n`).join('');
  return `    location ${prefix} {
        auth_request ${verify};
${set}${send}        proxy_set_header Host $host;
        proxy_pass http://app;
    }
`;
}

/** The http-level part: the gateway and the application as upstreams. */
export function nginxUpstreams(gateway: string, app: string): string {
  return `map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      '';
}

upstream gateway {
    server ${gateway};
    keepalive 16;
}

upstream app {
    server ${app};
}
`;
}

/** The server's locations: the gateway at /, the application at /app/ (signed in) and /admin/ (ADMIN or OWNER). */
export function nginxLocations(): string {
  return `    # The gateway: its web app (sign-in), /graphql and its WebSocket.
    location / {
        proxy_pass http://gateway;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }

    # The session checks: internal, headers only (no body is sent or read).
${verifyLocation('/_verify', '/auth/verify')}
${verifyLocation('/_verify_admin', '/auth/verify?role=ADMIN')}
    # The application: any signed-in member, and ADMIN or OWNER under /admin/.
${protectedLocation('/app/', '/_verify')}
${protectedLocation('/admin/', '/_verify_admin')}`;
}

/** The whole file the test runs: everything nginx writes stays in `dir`. */
function nginxConfig(dir: string, port: number, gateway: string, app: string): string {
  const at = (name: string) => path.join(dir, name);
  return `daemon off;
worker_processes 1;
pid ${at('nginx.pid')};
error_log ${at('error.log')} info;

events {
    worker_connections 64;
}

http {
    access_log ${at('access.log')};
    client_body_temp_path ${at('client_body')};
    proxy_temp_path ${at('proxy')};
    fastcgi_temp_path ${at('fastcgi')};
    uwsgi_temp_path ${at('uwsgi')};
    scgi_temp_path ${at('scgi')};

${nginxUpstreams(gateway, app).replace(/^(?=.)/gm, '    ')}
    server {
        listen 127.0.0.1:${port};

${nginxLocations().replace(/^(?=.)/gm, '    ')}    }
}
`;
}

export interface Nginx {
  url: string;
  dir: string;
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Starts nginx in the foreground; `gateway` and `app` are host:port. Throws with its error log when it does not come up. */
export async function startNginx(binary: string, gateway: string, app: string): Promise<Nginx> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sg-nginx-'));
  // Started as root, the workers run as nobody: they must reach the temp paths.
  await chmod(dir, 0o755);
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(path.join(dir, sub));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, nginxConfig(dir, port, gateway, app));
  // -e: the error log before the config is read (else nginx tries /var/log/nginx first).
  const child = spawn(binary, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = async () => `${stderr}${await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '')}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = await errorLog();
      await stop();
      throw new Error(`nginx did not start on port ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${port}`, dir, errorLog, stop };
}
