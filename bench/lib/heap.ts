// Heap snapshot diff: which kinds of objects a socket costs. Self sizes are summed per constructor
// (or per V8 node type for closures, strings, arrays, code), after minus before, per socket.
import { readFile } from 'node:fs/promises';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export type HeapCensus = Map<string, { bytes: number; count: number }>;

export async function heapCensus(file: string): Promise<HeapCensus> {
  const snap = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const census: HeapCensus = new Map();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt] as number] ?? '?';
    const name = snap.strings[snap.nodes[i + nameAt] as number] ?? '?';
    const key = type === 'object' || type === 'native' ? name : `(${type})`;
    const entry = census.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += snap.nodes[i + sizeAt] as number;
    entry.count += 1;
    census.set(key, entry);
  }
  return census;
}

export interface CensusRow {
  name: string;
  bytesPerSocket: number;
  countPerSocket: number;
}

export function censusDiff(before: HeapCensus, after: HeapCensus, sockets: number, top = 15): CensusRow[] {
  const rows: CensusRow[] = [];
  for (const [name, a] of after) {
    const b = before.get(name) ?? { bytes: 0, count: 0 };
    rows.push({ name, bytesPerSocket: (a.bytes - b.bytes) / sockets, countPerSocket: (a.count - b.count) / sockets });
  }
  return rows.sort((x, y) => y.bytesPerSocket - x.bytesPerSocket).slice(0, top);
}
