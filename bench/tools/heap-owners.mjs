#!/usr/bin/env node
// Heap snapshots before and after n sockets opened (bench/out/s4-*.heapsnapshot): the bytes per
// socket of every object new in the second, grouped by what holds it (the first retainer path
// that reaches a known owner). Usage: node bench/tools/heap-owners.mjs before after n
import { readFileSync } from 'node:fs';
const load = (f) => JSON.parse(readFileSync(f, 'utf8'));
const before = load(process.argv[2]); const snap = load(process.argv[3]); const n = Number(process.argv[4] ?? 2000);
const meta = snap.snapshot.meta; const NF = meta.node_fields.length, EF = meta.edge_fields.length;
const nTypes = meta.node_types[0], eTypes = meta.edge_types[0];
const [ti, ni, ii, si, eci] = ['type','name','id','self_size','edge_count'].map((f) => meta.node_fields.indexOf(f));
const [eti, eni, eto] = ['type','name_or_index','to_node'].map((f) => meta.edge_fields.indexOf(f));
const bIds = new Set(); { const bm = before.snapshot.meta; const w = bm.node_fields.length; const idi = bm.node_fields.indexOf('id'); for (let i = 0; i < before.nodes.length; i += w) bIds.add(before.nodes[i + idi]); }
const nodes = snap.nodes, edges = snap.edges, S = snap.strings; const count = nodes.length / NF;
const retainer = new Int32Array(count).fill(-1), redge = new Array(count); let e = 0;
for (let k = 0; k < count; k++) { const ec = nodes[k*NF+eci]; for (let j = 0; j < ec; j++, e += EF) { const et = eTypes[edges[e+eti]]; if (et === 'weak' || et === 'shortcut') continue; const to = edges[e+eto]/NF; if (retainer[to] === -1 && to !== k) { retainer[to] = k; redge[to] = et==='element'||et==='hidden'?'':S[edges[e+eni]]; } } }
const name = (k) => S[nodes[k*NF+ni]]; const type = (k) => nTypes[nodes[k*NF+ti]];
const rules = [
  ['our subscription context (contextValue)', (k, nm, ed) => ed === 'contextValue'],
  ['registry: Connection + EventStream', (k, nm) => nm === 'Connection' || nm === 'EventStream'],
  ['protocol: GatewaySocket (per-socket state, operations, listeners)', (k, nm, ed) => nm === 'GatewaySocket' || ed === 'operations'],
  ['ws WebSocket + net.Socket (the bare server holds the same)', (k, nm) => ['WebSocket','Receiver','Sender','Socket','TCP','WritableState','ReadableState'].includes(nm)],
];
const agg = new Map(); let total = 0;
for (let k = 0; k < count; k++) {
  if (bIds.has(nodes[k*NF+ii])) continue; const size = nodes[k*NF+si]; total += size;
  let c = k, label = 'other (maps of shared registries, strings, code, …)';
  for (let d = 0; d < 10 && c >= 0; d++) { const hit = rules.find(([, f]) => f(c, name(c), redge[c])); if (hit) { label = hit[0]; break; } c = retainer[c]; }
  agg.set(label, (agg.get(label) ?? 0) + size);
}
console.log('total', (total/n).toFixed(0));
for (const [l, b] of [...agg].sort((a, b) => b[1]-a[1])) console.log((b/n).toFixed(0).padStart(6), l);
