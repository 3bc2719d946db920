// One attempt: a signed POST (Standard Webhooks here, a SET for CAEP endpoints: caep-send.ts), no
// redirect followed (a 3xx is a failure), one timeout for connect and response, at most a few KiB
// of the response read.
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { guardedLookup, isPublicAddress } from './ssrf.js';

const MAX_RESPONSE_BYTES = 4096;

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The start of the answer's body (at most 4 KiB): CAEP reads its error code there. */
  responseBody?: string;
  /** The receiver refused for good (RFC 8935 400): no retry. */
  permanent?: boolean;
}

export interface Message {
  id: string;
  /** The JSON body, signed byte for byte. */
  body: string;
  url: string;
  secret: string;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
  now?: Date;
}

export function signedHeaders(message: Pick<Message, 'id' | 'body' | 'secret'>, at: Date): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': message.id,
    'webhook-timestamp': String(timestamp),
    // sign() takes the timestamp as a Date and writes it in whole seconds.
    'webhook-signature': new Webhook(message.secret).sign(message.id, new Date(timestamp * 1000), message.body),
  };
}

export function send(message: Message, options: SendOptions): Promise<AttemptResult> {
  return post(message.url, message.body, signedHeaders(message, options.now ?? new Date()), options);
}

/** The POST itself, with the SSRF guard, the timeout and no redirect, whatever the format. */
export function post(target: string, payload: string, headers: Record<string, string>, options: SendOptions): Promise<AttemptResult> {
  const started = Date.now();
  const chunks: Buffer[] = [];
  const done = (statusCode: number | null, error: string | null): AttemptResult => ({
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    durationMs: Date.now() - started,
    responseBody: Buffer.concat(chunks).toString('utf8'),
  });
  const url = new URL(target);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateTargets && isIP(literal) && !isPublicAddress(literal)) {
    return Promise.resolve(done(null, `refused: ${literal} is not a public address`));
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = Buffer.from(payload);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(body.length), 'user-agent': 'session-gateway-webhooks' },
      lookup: options.allowPrivateTargets ? undefined : guardedLookup,
      // One socket per attempt: no pooled connection outlives the check of its address.
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`timeout after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    req.on('error', (err: Error) => finish(done(null, err.message.slice(0, 200))));
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? null;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        if (read < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - read));
        read += chunk.length;
        // Enough to know it answered; a receiver streaming a large body does not hold the worker.
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      const end = () => finish(done(status, status !== null && status >= 300 && status < 400 ? `redirect not followed (${status})` : null));
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
    });
    req.end(body);
  });
}
