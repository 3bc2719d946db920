// What a function's time went to, in a .cpuprofile: the samples whose stack holds FUNCTION, by the
// function they were in (self time) and by the frame FUNCTION called. For a kick: `gathered` (the
// one write per socket), `socketOnEnd` / `socketOnClose` (ws's close path).
//   node --import tsx bench/tools/profile-under.ts FILE.cpuprofile FUNCTION [TOP=15]
import type { CallFrame as Frame } from '../lib/profile.js';
import { readProfileTree, stackOf } from '../lib/profile.js';


const [file, fnArg, top = '15'] = process.argv.slice(2);
if (!file || !fnArg) throw new Error('usage: profile-under.ts FILE.cpuprofile FUNCTION [TOP]');
const fn: string = fnArg;
const { profile, byId, parent } = await readProfileTree(file);

const name = (f: Frame, line = false): string => `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}${line ? `:${f.lineNumber}` : ''}`;
const self = new Map<string, number>();
const callees = new Map<string, number>();
let total = 0;
profile.samples.forEach((sample, i) => {
  // A sample's time is the gap to the next one.
  const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  const stack = stackOf(sample, byId, parent);
  const at = stack.findIndex((f) => f.functionName === fn);
  if (at < 0) return;
  total += ms;
  const leaf = stack[0];
  if (leaf) self.set(name(leaf), (self.get(name(leaf)) ?? 0) + ms);
  const callee = at > 0 ? stack[at - 1] : undefined;
  const key = callee ? name(callee, true) : '(its own code)';
  callees.set(key, (callees.get(key) ?? 0) + ms);
});

const rows = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
console.log(`${total.toFixed(0)} ms of samples under ${fn}\n\nby self time:`);
for (const [k, ms] of rows(self)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${k}`);
console.log(`\nby what ${fn} called:`);
for (const [k, ms] of rows(callees)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${k}`);
