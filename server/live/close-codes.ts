// Every close code this server sends, defined once: graphql-transport-ws's own (the protocol,
// ./protocol.ts) and the gateway's. Clients tell them apart: only 4403 means "signed out";
// graphql-ws's client gives up on 4400, 4401, 4406, 4409, 4429 and 4500, and retries the others
// unless told not to (the web app does not retry 4403).

/** graphql-transport-ws's codes (graphql-ws's `CloseCode`, the server's part). */
export const CloseCode = {
  /** A server fault while handling a message. */
  InternalServerError: 4500,
  /** A message that is not one the protocol allows. */
  BadRequest: 4400,
  /** subscribe before connection_ack. */
  Unauthorized: 4401,
  /** connection_init refused: here, always an unknown, revoked or ended session (CLOSE_REVOKED). */
  Forbidden: 4403,
  SubprotocolNotAcceptable: 4406,
  ConnectionInitialisationTimeout: 4408,
  SubscriberAlreadyExists: 4409,
  TooManyInitialisationRequests: 4429,
} as const;

/** The session was revoked or has ended: the client goes to its sign-in page. Sent for nothing else. */
export const CLOSE_REVOKED = CloseCode.Forbidden;
/** The server could not check the session (its database did not answer): retry, the user stays signed in. */
export const CLOSE_TRY_AGAIN = 1013;
/** The server is restarting (SIGTERM drain): reconnect soon, to another instance if there is one. */
export const CLOSE_RESTARTING = 1012;
/** The client stopped reading and more than WS_MAX_BUFFERED_BYTES piled up for it: reconnect and refetch. */
export const CLOSE_TOO_SLOW = 4008;
/** RFC 6455 policy violation: a cap (sockets per user) was reached. */
export const CLOSE_POLICY = 1008;
