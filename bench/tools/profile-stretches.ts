// How long the event loop of a profiled process was held at a time by other work than its load:
// the stretches of consecutive busy samples outside FUNCTION (the load's handler, e.g.
// `verifyRequest`), the longest first with what filled them, and how many reached 1–20 ms.
//   node --import tsx bench/tools/profile-stretches.ts FILE.cpuprofile FUNCTION [TOP=12]
import type { CallFrame as Frame } from '../lib/profile.js';
import { readProfileTree, stackOf } from '../lib/profile.js';

interface Stretch {
  atMs: number;
  ms: number;
  by: Map<string, number>;
}

const [file, fnArg, top = '12'] = process.argv.slice(2);
if (!file || !fnArg) throw new Error('usage: profile-stretches.ts FILE.cpuprofile FUNCTION [TOP]');
const fn: string = fnArg;
const { profile, byId, parent } = await readProfileTree(file);

/** '(idle)', FUNCTION, or the outermost frames of our own code (else the leaf) that the sample was in. */
const labels = new Map<number, string>();
function labelOf(id: number): string {
  const known = labels.get(id);
  if (known !== undefined) return known;
  const stack = stackOf(id, byId, parent);
  const leaf = stack[0];
  const ours = stack.filter((f) => /\/(server|bench)\//.test(f.url)).reverse();
  const label =
    leaf?.functionName === '(idle)' ? '(idle)' : stack.some((f) => f.functionName === fn) ? fn : ours.length > 0 ? ours.slice(0, 3).map((f) => f.functionName || '(anonymous)').join(' > ') : `${leaf?.functionName || '(anonymous)'} ${leaf?.url.split('/').pop() ?? ''}`;
  labels.set(id, label);
  return label;
}

const stretches: Stretch[] = [];
let current: Stretch | null = null;
let now = 0;
profile.samples.forEach((sample, i) => {
  now += (profile.timeDeltas[i] ?? 0) / 1000;
  const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  const label = labelOf(sample);
  if (label === '(idle)' || label === fn) {
    if (current) stretches.push(current);
    current = null;
    return;
  }
  current ??= { atMs: now, ms: 0, by: new Map() };
  current.ms += ms;
  current.by.set(label, (current.by.get(label) ?? 0) + ms);
});
if (current) stretches.push(current);

for (const min of [1, 2, 3, 5, 10, 20]) console.log(`stretches outside ${fn} of ≥ ${min} ms: ${stretches.filter((s) => s.ms >= min).length}`);
console.log('\nlongest:');
for (const s of [...stretches].sort((a, b) => b.ms - a.ms).slice(0, Number(top))) {
  const parts = [...s.by].sort((a, b) => b[1] - a[1]).slice(0, 3);
  console.log(`${s.ms.toFixed(1).padStart(7)} ms at ${s.atMs.toFixed(0)} ms: ${parts.map(([label, ms]) => `${ms.toFixed(1)} ${label}`).join(' | ')}`);
}
