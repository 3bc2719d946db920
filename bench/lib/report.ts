// Markdown tables for the scenarios' medians, ratios and targets.
import type { ProfileSummary } from './profile.js';

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
}

export interface ScenarioReport {
  id: string;
  title: string;
  tables: Table[];
  /** Pass/miss lines against the targets, and anything a reader must know to read the table. */
  notes: string[];
  /** Every run's figures, for bench/out/results.json. */
  raw: unknown;
}

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(digits);
}

export function fmtRange([lo, hi]: [number, number], digits = 1): string {
  return `${fmt(lo, digits)}–${fmt(hi, digits)}`;
}

export function fmtRatio(n: number): string {
  return Number.isFinite(n) ? `${n.toFixed(2)}×` : '–';
}

export function verdict(ok: boolean, measurable = true): string {
  if (!measurable) return 'not measurable (see note)';
  return ok ? 'met' : 'MISSED';
}

export function renderTable(t: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [`**${t.title}**`, '', line(t.headers), line(t.headers.map(() => '---')), ...t.rows.map(line), ''].join('\n');
}

export function renderScenario(r: ScenarioReport): string {
  return [`## ${r.title}`, '', ...r.tables.map(renderTable), ...r.notes.map((n) => `- ${n}`), ''].join('\n');
}

/** A CPU profile as tables: top self-time frames (titled by the caller), by package, and the server's own functions. */
export function profileTables(p: ProfileSummary, title: string, serverFunctions = true): Table[] {
  const tables: Table[] = [
    { title, headers: ['self %', 'frame', 'where'], rows: p.top.map((f) => [fmt(f.percent), `\`${f.name}\``, f.where ? `\`${f.where}\`` : '']) },
    { title: 'Self time by package', headers: ['package', 'self %'], rows: p.byPackage.map((x) => [x.name, fmt(x.percent)]) },
  ];
  if (serverFunctions) {
    tables.push({
      title: "The gateway's own functions (server/), inclusive time",
      headers: ['incl. %', 'function', 'where'],
      rows: p.serverInclusive.slice(0, 10).map((f) => [fmt(f.percent), `\`${f.name}\``, `\`${f.where}\``]),
    });
  }
  return tables;
}
