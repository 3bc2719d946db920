// The close codes this server sends beyond graphql-transport-ws's own (protocol.ts). Clients tell
// them apart: only 4403 means "signed out"; graphql-ws's client retries 1012, 1013 and 4008.

/** The session was revoked or has ended: the client goes to its sign-in page. Sent for nothing else. */
export const CLOSE_REVOKED = 4403;
/** The server could not check the session (its database did not answer): retry, the user stays signed in. */
export const CLOSE_TRY_AGAIN = 1013;
/** The server is restarting (SIGTERM drain): reconnect soon, to another instance if there is one. */
export const CLOSE_RESTARTING = 1012;
/** The client stopped reading and more than WS_MAX_BUFFERED_BYTES piled up for it: reconnect and refetch. */
export const CLOSE_TOO_SLOW = 4008;
/** RFC 6455 policy violation: a cap (sockets per user) was reached. */
export const CLOSE_POLICY = 1008;
