// Reads a V8 .cpuprofile (node --cpu-prof, or the inspector's Profiler) and names where the time went:
// the top frames by self time, and self time per package.
import { readFile } from 'node:fs/promises';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  name: string;
  where: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  /** Sampled time, idle excluded (ms). */
  busyMs: number;
  idlePercent: number;
  top: Frame[];
  byPackage: { name: string; percent: number }[];
  /** The gateway's own functions (server/) by inclusive time: self plus everything they call. */
  serverInclusive: Frame[];
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  const root = clean.search(/\/(server|bench)\//);
  return root >= 0 ? clean.slice(root + 1) : clean;
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') && name !== '(anonymous)' ? name : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node core';
  const clean = url.replace(/^file:\/\//, '');
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(clean);
  if (m?.[1]) return m[1];
  if (clean.includes('/server/')) return 'session-gateway server/';
  return shortUrl(url);
}

/** A profile with its nodes by id and each node's parent: for walking a sample's stack (bench/tools/profile-*.ts). */
export async function readProfileTree(file: string): Promise<{ profile: CpuProfile; byId: Map<number, ProfileNode>; parent: Map<number, number> }> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return { profile, byId, parent };
}

/** The stack of a sample's node, the innermost frame first. */
export function stackOf(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): CallFrame[] {
  const stack: CallFrame[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const node = byId.get(at);
    if (node) stack.push(node.callFrame);
  }
  return stack;
}

export async function summarizeProfile(file: string, topN = 15): Promise<ProfileSummary> {
  const { profile, byId } = await readProfileTree(file);
  const selfUs = new Map<number, number>();
  // Each sample weighs the median interval: a sample's own delta can span a pause (the first one
  // spans the profiler's start), which would pin a whole gap on one frame.
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const interval = deltas[Math.floor(deltas.length / 2)] ?? 1;
  for (const id of profile.samples) selfUs.set(id, (selfUs.get(id) ?? 0) + interval);
  let idle = 0;
  let total = 0;
  const frames = new Map<string, Frame>();
  const packages = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const frame = frames.get(key) ?? { name, where, selfMs: 0, percent: 0 };
    frame.selfMs += us / 1000;
    frames.set(key, frame);
    const pkg = packageOf(url, name);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busy = total - idle;

  // Inclusive time of server/ frames: each sample counts once for every distinct frame on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, Frame>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (!node || !/\/server\//.test(node.callFrame.url) || node.callFrame.url.includes('node_modules')) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const key = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const frame = inclusive.get(key) ?? { name: functionName || '(anonymous)', where: `${shortUrl(url)}:${lineNumber + 1}`, selfMs: 0, percent: 0 };
      frame.selfMs += us / 1000;
      inclusive.set(key, frame);
    }
  }
  const serverInclusive = [...inclusive.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, topN);
  for (const f of serverInclusive) f.percent = (100 * f.selfMs * 1000) / busy;
  const top = [...frames.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, topN);
  for (const f of top) f.percent = (100 * f.selfMs * 1000) / busy;
  return {
    busyMs: busy / 1000,
    idlePercent: total ? (100 * idle) / total : 0,
    top,
    serverInclusive,
    byPackage: [...packages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, us]) => ({ name, percent: (100 * us) / busy })),
  };
}
