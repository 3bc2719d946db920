// Whether any webhook endpoint may exist, per database client: while none does, a revocation runs
// its statement without the outbox CTE (a second CTE, even selecting nothing, measured 0.1–0.2 ms
// more per revocation), with only an EXISTS look at the endpoints table in the same statement
// (about 0.03 ms). Safe by default (true) until the worker has looked; the worker looks again every
// WEBHOOK_POLL_MS, an endpoint created here opens the gate at once, and a revocation whose EXISTS
// finds an endpoint (created through another instance since the last look) opens it too and
// writes its deliveries right after (sessions/rows.ts). Sign-ins and password changes do not
// consult the gate: they always write their outbox rows in their transaction.

interface Gate {
  possible: boolean;
  /** Bumped by open(): a look that started before an endpoint was created here cannot close the gate. */
  opened: number;
}

const gates = new WeakMap<object, Gate>();

export function outboxGate(db: object): Gate {
  let gate = gates.get(db);
  if (!gate) {
    gate = { possible: true, opened: 0 };
    gates.set(db, gate);
  }
  return gate;
}

/** An endpoint was just created through this instance. */
export function openGate(db: object): void {
  const gate = outboxGate(db);
  gate.possible = true;
  gate.opened++;
}

/** The worker's look: `anyEndpoint` is a query of the endpoints table. */
export async function refreshGate(db: object, anyEndpoint: () => Promise<boolean>): Promise<void> {
  const gate = outboxGate(db);
  const before = gate.opened;
  const any = await anyEndpoint();
  if (any || gate.opened === before) gate.possible = any;
}
