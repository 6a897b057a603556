/**
 * Course export memory (`BENCH_ONLY=export npm run bench`, a minute or two): exports a 50 × 10 course (50 projects ×
 * 10 lessons, 2 tasks each, ~12 KB of Markdown per lesson) and a 5 × 10 one in every zip format over HTTP, sampling
 * the process's RSS and heap every 10 ms while the download streams. Streaming keeps the growth the same whatever the
 * course size; building the file in memory would grow with it. Writes the table between the markers of bench/README.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import request from 'supertest';
import type { ExportFormat } from '../contracts/api';
import { signIn, TestUser } from '../test/support/accounts';
import { CourseSpec, createCourse } from '../test/support/curriculum-builders';
import { startTestApp, TestApp } from '../test/support/test-app';

const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const maybe = !ONLY || ONLY.includes('export') ? describe : describe.skip;

/** A full garbage collection on demand, without starting node with --expose-gc. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FORMATS: ExportFormat[] = ['scorm12', 'scorm2004', 'imscc', 'markdown-zip'];
const MiB = 1024 * 1024;

const WORDS =
  'commit branch merge rebase stage snapshot history remote fetch pull push tag diff log blame stash'.split(
    ' ',
  );

/** ~12 KB of lesson Markdown (headings, prose, lists, code) that does not compress to nothing: words vary. */
function lessonContent(p: number, l: number): string {
  let seed = p * 7919 + l * 104_729;
  const word = (): string => WORDS[(seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % WORDS.length];
  const prose = (n: number): string => Array.from({ length: n }, word).join(' ');
  const section = (s: number): string =>
    `## Part ${s}: ${prose(3)}\n\n${prose(90)}.\n\n- ${prose(6)}\n- ${prose(6)}\n- ${prose(6)}\n\n` +
    `\`\`\`sh\ngit ${word()} ${word()}-${s}\ngit ${word()} --${word()}\n\`\`\`\n\n`;
  return Array.from({ length: 16 }, (_, s) => section(s + 1)).join('');
}

function spec(projects: number, lessons: number): CourseSpec {
  return {
    title: `Export bench ${projects}×${lessons}`,
    projects: Array.from({ length: projects }, (_, p) => ({
      title: `Project ${p + 1}`,
      description: `What project ${p + 1} builds.`,
      lessons: Array.from({ length: lessons }, (_, l) => ({
        title: `Lesson ${p + 1}.${l + 1}`,
        summary: 'A summary.',
        content: lessonContent(p + 1, l + 1),
        tasks: [
          {
            title: 'Try it',
            instructions: 'Do the thing.\n\n- step one\n- step two',
            kind: 'exercise' as const,
          },
          { title: 'Check yourself', instructions: 'Answer three questions.', kind: 'quiz' as const },
        ],
      })),
    })),
  };
}

interface Sample {
  course: string;
  format: ExportFormat;
  bytes: number;
  ms: number;
  rssBefore: number;
  rssPeak: number;
  heapPeakGrowth: number;
  /** Peak of the live heap (sampled after forced collections) above the heap before the download. */
  liveGrowth: number;
}

const samples: Sample[] = [];

maybe('course export memory', () => {
  let app: TestApp;
  let user: TestUser;
  let token: string;
  const courses: { name: string; id: string; contentBytes: number }[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    const signed = await signIn(app);
    user = signed.user;
    token = signed.session.token;
    for (const [p, l] of [
      [5, 10],
      [50, 10],
    ]) {
      const s = spec(p, l);
      const contentBytes = s.projects!.reduce(
        (n, pr) => n + pr.lessons!.reduce((m, le) => m + Buffer.byteLength(le.content ?? ''), 0),
        0,
      );
      courses.push({ name: `${p} × ${l}`, id: await createCourse(app, user, s), contentBytes });
    }
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    writeTable(courses);
  });

  it('exports each zip format of both courses while sampling memory', async () => {
    for (const course of courses) {
      for (const format of FORMATS) {
        // Warm up once (code paths, connection pool), then measure.
        await download(app, token, course.id, format);
        gc();
        const rssBefore = process.memoryUsage().rss;
        const heapBefore = process.memoryUsage().heapUsed;
        let rssPeak = rssBefore;
        let heapPeak = heapBefore;
        const timer = setInterval(() => {
          const m = process.memoryUsage();
          rssPeak = Math.max(rssPeak, m.rss);
          heapPeak = Math.max(heapPeak, m.heapUsed);
        }, 10);
        // The live heap (after a full collection) every 250 ms — what the export really holds.
        let livePeak = heapBefore;
        const live = setInterval(() => {
          gc();
          livePeak = Math.max(livePeak, process.memoryUsage().heapUsed);
        }, 250);
        const started = Date.now();
        const bytes = await download(app, token, course.id, format);
        const ms = Date.now() - started;
        clearInterval(timer);
        clearInterval(live);
        const sample = {
          course: course.name,
          format,
          bytes,
          ms,
          rssBefore,
          rssPeak,
          heapPeakGrowth: heapPeak - heapBefore,
          liveGrowth: livePeak - heapBefore,
        };
        samples.push(sample);
        console.log(
          `${course.name} ${format}: ${(bytes / MiB).toFixed(1)} MiB in ${ms} ms, RSS ${(rssBefore / MiB).toFixed(0)} → peak ${(rssPeak / MiB).toFixed(0)} MiB, heap growth ${(sample.heapPeakGrowth / MiB).toFixed(1)} MiB, live heap growth ${(sample.liveGrowth / MiB).toFixed(1)} MiB`,
        );
      }
    }
  });
});

/** Downloads counting bytes as they arrive, never holding the file. */
async function download(app: TestApp, token: string, id: string, format: ExportFormat): Promise<number> {
  let bytes = 0;
  await request(app.baseUrl)
    .get(`/api/admin/curriculum/courses/${id}/export?format=${format}`)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((res, done) => {
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => done(null, null));
    })
    .expect(200);
  return bytes;
}

function writeTable(courses: { name: string; contentBytes: number }[]): void {
  if (samples.length === 0) return;
  const mib = (n: number): string => (n / MiB).toFixed(1);
  const lines = [
    `Last run: ${new Date().toISOString()}, Node ${process.version}, in-process API (the benchmark's own RSS), ` +
      `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores.`,
    '',
    ...courses.map((c) => `- ${c.name} course: ${mib(c.contentBytes)} MiB of lesson Markdown.`),
    '',
    '| course | format | file | time | RSS before | RSS peak | RSS growth | heap peak growth (with garbage) | live heap peak growth |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...samples.map(
      (s) =>
        `| ${s.course} | \`${s.format}\` | ${mib(s.bytes)} MiB | ${s.ms} ms | ${mib(s.rssBefore)} MiB | ${mib(s.rssPeak)} MiB | ${mib(s.rssPeak - s.rssBefore)} MiB | ${mib(s.heapPeakGrowth)} MiB | ${mib(s.liveGrowth)} MiB |`,
    ),
  ];
  const path = join(__dirname, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- export:start -->';
  const end = '<!-- export:end -->';
  if (!readme.includes(start)) return;
  const before = readme.slice(0, readme.indexOf(start) + start.length);
  const after = readme.slice(readme.indexOf(end));
  writeFileSync(path, `${before}\n${lines.join('\n')}\n${after}`);
}
