import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR } from './harness';

export interface ResultRow {
  name: string;
  value: number;
  unit: string;
  /** e.g. '≤ 600' or '≥ 6'; empty for a figure shown for context only. */
  target: string;
  pass: boolean | null;
  note?: string;
}

const rows: ResultRow[] = [];
const sections: Record<string, string> = {};

/** Records one measurement; `target` as `['<=', 600]` or `['>=', 6]`, or omitted for a context figure. */
export function record(
  name: string,
  value: number,
  unit: string,
  target?: ['<=' | '>=', number],
  note?: string,
): void {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
  const row: ResultRow = {
    name,
    value: rounded,
    unit,
    target: target ? `${target[0] === '<=' ? '≤' : '≥'} ${target[1]}` : '',
    pass: target ? (target[0] === '<=' ? value <= target[1] : value >= target[1]) : null,
    ...(note ? { note } : {}),
  };
  rows.push(row);
  console.log(formatRow(row));
}

/** Extra Markdown for the README (e.g. the query plans), under its own heading. */
export function recordSection(title: string, markdown: string): void {
  sections[title] = markdown;
}

const verdict = (r: ResultRow): string => (r.pass === null ? '' : r.pass ? 'pass' : 'MISS');
const formatRow = (r: ResultRow): string =>
  `${r.name.padEnd(52)} ${`${r.value} ${r.unit}`.padStart(14)}  ${(r.target ? `${r.target} ${r.unit}` : '').padEnd(14)} ${verdict(r)}`;

function machine(): {
  cores: number;
  memory_gib: number;
  cpu: string;
  node: string;
  postgres: string;
  load_average_15min: number;
} {
  let postgres = '';
  try {
    postgres = execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    postgres = 'unknown';
  }
  return {
    cores: cpus().length,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    postgres,
    // Other work on the machine during the run (a shared machine): wall-clock figures scale with it, CPU times less.
    load_average_15min: Math.round(loadavg()[2] * 10) / 10,
  };
}

/** Prints the table, writes bench/results.json and the generated part of bench/README.md. */
export function writeResults(): void {
  if (rows.length === 0) return;
  const m = machine();
  const date = new Date().toISOString();
  console.log(`\n${'measurement'.padEnd(52)} ${'value'.padStart(14)}  ${'target'.padEnd(14)} verdict`);
  for (const r of rows) console.log(formatRow(r));
  writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify({ date, machine: m, rows }, null, 2)}\n`);

  const table = [
    '| measurement | value | target | verdict |',
    '|---|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${r.value} ${r.unit} | ${r.target ? `${r.target} ${r.unit}` : '—'} | ${verdict(r) || 'context'} |`,
    ),
  ].join('\n');
  const generated = [
    `Last run: ${date} — ${m.cores} cores (${m.cpu}), ${m.memory_gib} GiB, Node ${m.node}, ${m.postgres}; ` +
      `load average over the last 15 minutes at the end of the run: ${m.load_average_15min}.`,
    '',
    table,
    ...Object.entries(sections).flatMap(([title, md]) => ['', `### ${title}`, '', md]),
  ].join('\n');
  const readmePath = join(BENCH_DIR, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a >= 0 && b > a) {
    writeFileSync(readmePath, `${readme.slice(0, a + start.length)}\n${generated}\n${readme.slice(b)}`);
  }
}
