import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';

/** True for `--smoke` / BENCH_SMOKE=1: a short run that proves the script works and judges nothing. */
export const SMOKE = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';

export type Row = Record<string, string | number>;

export function table(rows: Row[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n');
}

export const machine = () =>
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}`;

/**
 * Prints the section and, unless in smoke mode or told `whatIf` (a run off
 * the published settings), writes it into BENCHMARKS.md between
 * `<!-- name -->` and `<!-- /name -->` (appending it the first time).
 */
export function publish(name: string, markdown: string, whatIf = false): void {
  const section = `<!-- ${name} -->\n${markdown.trim()}\n<!-- /${name} -->`;
  console.log(`\n${markdown.trim()}\n`);
  if (SMOKE || whatIf) {
    console.log(`(${SMOKE ? 'smoke' : 'what-if'} run: BENCHMARKS.md left as it is)`);
    return;
  }
  const file = 'BENCHMARKS.md';
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nFigures of real runs; each section is rewritten by its script.\n';
  const pattern = new RegExp(`<!-- ${name} -->[\\s\\S]*?<!-- /${name} -->`);
  writeFileSync(file, pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`);
  console.log(`written to ${file}`);
}

export const median = (xs: number[]) => quantile(xs, 0.5);
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** The rows every hardening run ends with: the heap within 10 % after GC, and nothing the server logged. */
export function leakRows(heapBefore: number, heapAfter: number, errors: string): Row[] {
  const growth = (heapAfter - heapBefore) / heapBefore;
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  return [
    {
      measure: 'heap before → after (after GC)',
      value: `${kb(heapBefore)} → ${kb(heapAfter)} (${(growth * 100).toFixed(1)} %)`,
      target: '≤ 10 %',
      met: growth <= 0.1 ? 'yes' : 'NO',
    },
    {
      measure: 'errors logged by the server',
      value: errors ? errors.split('\n')[0]!.slice(0, 80) : 'none',
      target: 'none',
      met: errors ? 'NO' : 'yes',
    },
  ];
}
