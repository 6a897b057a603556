/**
 * Outline upload parsing under adversarial input (`BENCH_ONLY=parser npm run bench`): the parse time of
 * parseOutlineFile — what the upload endpoint runs — on inputs as large as UPLOAD_MAX_BYTES (512 KB), built to be
 * the worst cases of a backtracking or rescanning parser. A measurement, not a test: it writes
 * bench/outline-parser.json and the "Outline parser" block of bench/README.md.
 *
 * `BENCH_OUTLINE_BASELINE=<git revision>` also measures that revision's parser (taken with `git archive`,
 * compiled with TypeScript) in a child process per input, stopped after BASELINE_TIMEOUT_MS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { parseOutlineFile } from '../server/src/curriculum/outline/outline-parser';

const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const section = !ONLY || ONLY.includes('parser') ? describe : describe.skip;
const BASELINE = process.env.BENCH_OUTLINE_BASELINE;
const BASELINE_TIMEOUT_MS = 10_000;
const ROOT = join(__dirname, '..');
const UPLOAD_MAX = 512 * 1024;
const RUNS = 7;

interface Input {
  name: string;
  filename: string;
  text: string;
}

/** Repeats `unit` to fill what is left of an upload after `head`. */
const fill = (head: string, unit: string, tail = ''): string =>
  head + unit.repeat(Math.floor((UPLOAD_MAX - head.length - tail.length) / unit.length)) + tail;
const lesson = '# C\n## P\n### L\n';

/** 512 KB each (or nearly): the worst inputs for the Markdown and the JSON paths. */
const LARGE: Input[] = [
  { name: '`## a` + 512 K spaces + `x` (one line)', filename: 'x.md', text: fill('# C\n## a', ' ', 'x') },
  {
    name: '250 lines of `## a` + 2,000 blanks + `x`',
    filename: 'x.md',
    text: fill('# C\n', `## a${' \t'.repeat(1000)}x\n`),
  },
  {
    name: '262 K blank lines, then 131 K `>` lines, under one lesson',
    filename: 'x.md',
    text: lesson + '\n'.repeat(UPLOAD_MAX / 2) + '>\n'.repeat(UPLOAD_MAX / 4 - lesson.length),
  },
  { name: '524 K empty lines under one lesson', filename: 'x.md', text: fill(lesson, '\n') },
  {
    name: '4,600 lesson and task titles of `a` + 100 spaces + `x (5 min)`',
    filename: 'x.md',
    text: `# C\n${Array.from(
      { length: 20 },
      (_, p) =>
        `## P${p}\n${`### a${' '.repeat(100)}x (5 min)\n${`- a${' '.repeat(100)}x (5 min)\n`.repeat(5)}`.repeat(40)}`,
    ).join('')}`.slice(0, UPLOAD_MAX),
  },
  {
    name: 'JSON: arrays nested 262 K deep',
    filename: 'x.json',
    text: '['.repeat(UPLOAD_MAX / 2) + ']'.repeat(UPLOAD_MAX / 2),
  },
  {
    name: 'JSON: a 512 KB title',
    filename: 'x.json',
    text: `{"title":"${'a '.repeat(UPLOAD_MAX / 2 - 8)}"}`,
  },
];

/** Smaller inputs, for the old parser's figures where the large ones do not finish. */
const SMALL: Input[] = [500, 1000, 2000].map((n) => ({
  name: `\`## a\` + ${n.toLocaleString('en')} spaces + \`x\``,
  filename: 'x.md',
  text: `# C\n## a${' '.repeat(n)}x`,
}));

interface Row {
  input: string;
  bytes: number;
  /** Current parser: median and worst of RUNS runs after a warm-up, in ms. */
  median_ms: number;
  worst_ms: number;
  outcome: string;
  /** The baseline revision's parser: ms, or null when stopped at BASELINE_TIMEOUT_MS. */
  baseline_ms?: number | null;
}

function measure(input: Input): Omit<Row, 'baseline_ms'> {
  const bytes = Buffer.from(input.text);
  const once = (): { ms: number; outcome: string } => {
    const started = performance.now();
    let outcome: string;
    try {
      const tree = parseOutlineFile(bytes, input.filename);
      outcome = `201 (${tree.projects.length} projects)`;
    } catch (err) {
      outcome = `400: ${(err as Error).message.slice(0, 60)}`;
    }
    return { ms: performance.now() - started, outcome };
  };
  const { outcome } = once(); // warm-up
  const times = Array.from({ length: RUNS }, () => once().ms).sort((a, b) => a - b);
  return {
    input: input.name,
    bytes: bytes.length,
    median_ms: round(times[Math.floor(RUNS / 2)]),
    worst_ms: round(times[RUNS - 1]),
    outcome,
  };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** The baseline revision's outline parser, compiled to CommonJS in a temporary directory; returns its entry. */
function buildBaseline(revision: string, dir: string): string {
  const paths = [
    'contracts/api.ts',
    'server/src/common/domain-error.ts',
    'server/src/curriculum/curriculum-limits.ts',
    'server/src/curriculum/outline',
  ];
  const tar = execFileSync('git', ['archive', revision, ...paths], { cwd: ROOT, maxBuffer: 64 * 2 ** 20 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const compile = (path: string): void => {
    for (const entry of readdirSync(path)) {
      const file = join(path, entry);
      if (statSync(file).isDirectory()) compile(file);
      else if (file.endsWith('.ts') && !file.endsWith('.spec.ts')) {
        const out = ts.transpileModule(readFileSync(file, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        });
        writeFileSync(file.replace(/\.ts$/, '.js'), out.outputText);
      }
    }
  };
  compile(dir);
  return join(dir, 'server/src/curriculum/outline/outline-parser.js');
}

/** One parse by the baseline parser in its own process (it may block for hours): ms, or null if stopped. */
function measureBaseline(entry: string, input: Input, dir: string): number | null {
  const file = join(dir, 'input');
  writeFileSync(file, input.text);
  const script = `
    const { parseOutlineFile } = require(${JSON.stringify(entry)});
    const bytes = require('node:fs').readFileSync(${JSON.stringify(file)});
    const started = performance.now();
    try { parseOutlineFile(bytes, ${JSON.stringify(input.filename)}); } catch {}
    process.stdout.write(String(performance.now() - started));`;
  const result = spawnSync(process.execPath, ['-e', script], {
    timeout: BASELINE_TIMEOUT_MS,
    encoding: 'utf8',
    // The compiled files live outside the repository: let them find its packages (zod).
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
  });
  if (result.status === 0) return round(Number(result.stdout));
  if (result.signal) return null; // stopped at the timeout
  throw new Error(`the baseline parser failed: ${result.stderr}`);
}

function writeReport(rows: Row[]): void {
  const date = new Date().toISOString();
  writeFileSync(
    join(__dirname, 'outline-parser.json'),
    `${JSON.stringify({ date, node: process.version, baseline: BASELINE ?? null, rows }, null, 2)}\n`,
  );
  const baseline = (r: Row): string =>
    r.baseline_ms === undefined
      ? ''
      : ` ${r.baseline_ms === null ? `> ${BASELINE_TIMEOUT_MS / 1000} s (stopped)` : `${r.baseline_ms} ms`} |`;
  const table = [
    `Last run: ${date}, Node ${process.version}, load average over the last minute ${loadavg()[0].toFixed(1)} ` +
      `(2 cores shared with other work: figures scale with it)` +
      `${BASELINE ? `; baseline: the parser of \`${BASELINE}\`` : ''}.`,
    '',
    `| input | bytes | median | worst of ${RUNS} | outcome |${BASELINE ? ' baseline |' : ''}`,
    `|---|---:|---:|---:|---|${BASELINE ? '---:|' : ''}`,
    ...rows.map(
      (r) =>
        `| ${r.input} | ${r.bytes.toLocaleString('en')} | ${r.median_ms} ms | ${r.worst_ms} ms | ${r.outcome.replace(/\|/g, '\\|')} |${baseline(r)}`,
    ),
  ].join('\n');
  const readmePath = join(__dirname, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- outline-parser:start -->';
  const end = '<!-- outline-parser:end -->';
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a >= 0 && b > a)
    writeFileSync(readmePath, `${readme.slice(0, a + start.length)}\n${table}\n${readme.slice(b)}`);
}

section('Outline parser under adversarial uploads', () => {
  it('parses every 512 KB worst case (and, with a baseline, compares the old parser)', () => {
    const dir = BASELINE ? mkdtempSync(join(tmpdir(), 'outline-baseline-')) : undefined;
    try {
      const entry = BASELINE && dir ? buildBaseline(BASELINE, dir) : undefined;
      const rows: Row[] = [];
      for (const input of [...LARGE, ...SMALL]) {
        const row: Row = measure(input);
        if (entry && dir) row.baseline_ms = measureBaseline(entry, input, dir);
        console.log(JSON.stringify(row));
        rows.push(row);
      }
      writeReport(rows);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
});
