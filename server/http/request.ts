// A request as the gateway keeps it: the head the context reads (an HTTP request, or what a socket
// kept of its upgrade) and the per-request state that rides along on it.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestLog } from '../process/logging.js';

/** Per-request state that Yoga passes to the context and back to the response. */
export interface RequestState {
  log: RequestLog;
  cookies: string[];
}

const STATE = Symbol('requestState');

/** The parts of a request the context reads: an HTTP request, or what a socket kept of its upgrade. */
export interface RequestHead {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string; encrypted?: boolean };
  /** Yoga's node adapter takes no extra context, so the state rides along on the request. */
  [STATE]?: RequestState;
}


/**
 * The request's state, made on first use (a property, not a WeakMap entry: no hash look-up on
 * every read). `lasting` (a socket's upgrade): the id is copied into one flat string, because
 * `randomUUID`'s string is concatenated from many pieces, each on the heap, and a socket keeps its
 * id for hours.
 */
export function requestState(req: RequestHead, lasting = false): RequestState {
  let state = req[STATE];
  if (!state) {
    const id = randomUUID();
    state = { log: { requestId: lasting ? Buffer.from(id, 'latin1').toString('latin1') : id }, cookies: [] };
    req[STATE] = state;
  }
  return state;
}
