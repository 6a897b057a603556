import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One sample line of the Prometheus text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  /** Metric families by name, with their declared type (lower case), from the maintained parser. */
  families: Map<string, string>;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

/**
 * Parses /metrics as the Prometheus text exposition format: `parse-prometheus-text-format` must accept it (it throws
 * on a malformed line), every family is declared once with HELP and TYPE, and every sample belongs to a declared
 * family. The samples are read line by line so labelled histogram series stay apart.
 */
export function parseScrape(text: string): Scrape {
  const parsed = parsePrometheusTextFormat(text);
  const families = new Map<string, string>();
  for (const f of parsed) {
    if (families.has(f.name)) throw new Error(`metric family ${f.name} is declared twice`);
    families.set(f.name, f.type.toLowerCase());
  }
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2];
    const value = Number(m[3].replace(/^\+?Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity'));
    // Prometheus reads floats with Go's ParseFloat, which takes NaN in any case; prom-client writes `Nan` for the
    // event-loop lag of a process that has not been sampled yet.
    if (Number.isNaN(value) && !/^nan$/i.test(m[3])) throw new Error(`not a number: ${line}`);
    const family = families.has(m[1])
      ? m[1]
      : SUFFIXES.map((s) => (m[1].endsWith(s) ? m[1].slice(0, -s.length) : '')).find((n) => families.has(n));
    if (!family) throw new Error(`sample ${m[1]} of no declared family`);
    samples.push({ name: m[1], labels, value });
  }
  return { families, samples };
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none). */
export function sumOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  return scrape.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
