// Markdown tables for the scenarios' medians, ratios and targets.

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
