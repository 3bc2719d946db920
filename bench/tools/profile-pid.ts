// CPU profile of a running Node process from outside, for processes the benchmark does not start
// itself (the live worker, a child of the gateway): SIGUSR1 opens its inspector on 127.0.0.1:PORT,
// then the inspector's Profiler samples it for SECONDS. Prints its user and system CPU meanwhile.
//   node --import tsx bench/tools/profile-pid.ts PID SECONDS OUT.cpuprofile [PORT=9229]
import { readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';

const [pid, seconds, out, port = '9229'] = process.argv.slice(2);
if (!pid || !seconds || !out) throw new Error('usage: profile-pid.ts PID SECONDS OUT.cpuprofile [PORT]');

/** utime and stime in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]) };
}

process.kill(Number(pid), 'SIGUSR1');
await new Promise((resolve) => setTimeout(resolve, 1000));
const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
if (!target) throw new Error(`no inspector target on port ${port}`);
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((resolve) => ws.once('open', resolve));
let nextId = 0;
const pending = new Map<number, (result: unknown) => void>();
ws.on('message', (data: Buffer) => {
  const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
  if (message.id !== undefined) pending.get(message.id)?.(message.result);
});
const call = (method: string, params: object = {}): Promise<unknown> =>
  new Promise((resolve) => {
    const id = ++nextId;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });

await call('Profiler.enable');
await call('Profiler.setSamplingInterval', { interval: 500 });
await call('Profiler.start');
const before = cpuTicks();
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
const after = cpuTicks();
const { profile } = (await call('Profiler.stop')) as { profile: unknown };
writeFileSync(out, JSON.stringify(profile));
// Clock ticks are 10 ms on Linux (CLK_TCK 100).
console.log(`pid ${pid} over ${seconds} s: user ${(after.user - before.user) * 10} ms, system ${(after.system - before.system) * 10} ms; wrote ${out}`);
ws.close();
