// Whether any webhook endpoint may exist, per database client: while none does, a revocation runs
// its statement without the outbox CTE and a sign-in its INSERT without a transaction, so that the
// common path costs what it did before webhooks (a second CTE, even selecting nothing, measured
// 0.2–0.5 ms more per revocation). Safe by default (true) until the worker has looked; the worker
// looks again every WEBHOOK_POLL_MS, and an endpoint created here opens the gate at once. Another
// instance's new endpoint is therefore seen here within one poll (docs/WEBHOOKS.md).

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
