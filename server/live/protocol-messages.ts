// The messages a graphql-transport-ws client may send, and their checks: anything else is refused
// with 4400 by the protocol (./protocol.ts).

export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

export type Params = Record<string, unknown>;

export type ClientMessage =
  | { type: 'connection_init' | 'ping' | 'pong'; payload?: Params | null }
  | { type: 'subscribe'; id: string; payload: SubscribePayload }
  | { type: 'complete'; id: string };

function isObject(value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optional = (value: unknown, test: (v: unknown) => boolean) => value === undefined || value === null || test(value);

/** A message a client may send, or null (malformed, unknown, or a server's message type). */
export function parseClientMessage(data: string): ClientMessage | null {
  let m: unknown;
  try {
    m = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(m)) return null;
  switch (m.type) {
    case 'connection_init':
    case 'ping':
    case 'pong':
      return optional(m.payload, isObject) ? (m as ClientMessage) : null;
    case 'subscribe': {
      const p = m.payload;
      if (typeof m.id !== 'string' || m.id === '' || !isObject(p) || typeof p.query !== 'string') return null;
      const valid = optional(p.variables, isObject) && optional(p.operationName, (v) => typeof v === 'string') && optional(p.extensions, isObject);
      return valid ? (m as ClientMessage) : null;
    }
    case 'complete':
      return typeof m.id === 'string' && m.id !== '' ? (m as ClientMessage) : null;
    default:
      return null;
  }
}
