import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type APIRequestContext, expect, test } from '@playwright/test';
import { fromBufferPromise } from 'yauzl';

import type { LoginResponse } from '../../contracts/api';
import { ADMIN } from './pages/credentials';

/**
 * An exported SCORM 1.2 lesson inside a minimal test LMS (fixtures/scorm-test-lms.html provides `window.API` and
 * frames the lesson): it initializes, marks the lesson completed once its end is reached, and finishes when left.
 * The package is unzipped into a temporary folder and served, with the LMS page, by a static server of the test.
 */

interface LmsCall {
  name: string;
  args: string[];
  result: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.xml': 'application/xml',
};

async function exportScorm12(request: APIRequestContext): Promise<Buffer> {
  const login = await request.post('/api/auth/login', { data: ADMIN });
  expect(login.status(), await login.text()).toBe(200);
  const headers = { Authorization: `Bearer ${((await login.json()) as LoginResponse).access_token}` };
  const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of a long lesson.`).join(
    '\n\n',
  );
  const upload = await request.post('/api/admin/curriculum/upload', {
    headers,
    data: {
      title: 'SCORM journey',
      projects: [
        {
          title: 'Packaging',
          lessons: [
            {
              title: 'A long lesson',
              content: `## Start here\n\n${paragraphs}\n\n<script>window.parent.API.LMSFinish('')</script>`,
              tasks: [{ title: 'Reach the end', instructions: 'Scroll down.', kind: 'exercise' }],
            },
          ],
        },
      ],
    },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const { course_id } = (await upload.json()) as { course_id: string };
  const zip = await request.get(`/api/admin/curriculum/courses/${course_id}/export?format=scorm12`, {
    headers,
  });
  expect(zip.status()).toBe(200);
  return zip.body();
}

async function unzipTo(bytes: Buffer, dir: string): Promise<void> {
  const zip = await fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true });
  for await (const entry of zip.eachEntry()) {
    const target = path.join(dir, entry.fileName);
    await mkdir(path.dirname(target), { recursive: true });
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    await writeFile(target, Buffer.concat(chunks));
  }
  zip.close();
}

function serve(packageDir: string): Promise<Server> {
  const lms = readFileSync(path.join(__dirname, 'fixtures', 'scorm-test-lms.html'));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/lms.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(lms);
      return;
    }
    const file = path.join(
      packageDir,
      path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''),
    );
    try {
      const body = readFileSync(file);
      res
        .writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test.describe('a SCORM 1.2 export in an LMS', () => {
  let dir: string;
  let server: Server;
  let origin: string;

  test.beforeAll(async ({ request }) => {
    dir = mkdtempSync(path.join(tmpdir(), 'courseloom-scorm-'));
    await unzipTo(await exportScorm12(request), dir);
    server = await serve(dir);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  test.afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  test('initializes, marks the lesson completed at its end, and finishes when the learner leaves', async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const calls = (): Promise<LmsCall[]> =>
      page.evaluate(() => (window as unknown as { lmsCalls: LmsCall[] }).lmsCalls);
    const names = async (): Promise<string[]> => (await calls()).map((c) => c.name);

    await page.goto(`${origin}/lms.html?sco=/lessons/p01-l01.html`);
    const lesson = page.frameLocator('#sco');
    await expect(lesson.getByRole('heading', { level: 1 })).toHaveText('A long lesson');
    await expect.poll(names).toContain('LMSInitialize');
    const start = await calls();
    expect(start[0]).toEqual({ name: 'LMSInitialize', args: [''], result: 'true' });
    // Not at the end yet: the lesson is started (incomplete), not completed; the script in its Markdown is inert.
    expect(start).toContainEqual({
      name: 'LMSSetValue',
      args: ['cmi.core.lesson_status', 'incomplete'],
      result: 'true',
    });
    expect(start.some((c) => c.args[1] === 'completed' || c.name === 'LMSFinish')).toBe(false);

    await lesson.locator('#lesson-end').scrollIntoViewIfNeeded();
    await expect
      .poll(calls)
      .toContainEqual({ name: 'LMSSetValue', args: ['cmi.core.lesson_status', 'completed'], result: 'true' });
    await expect(lesson.locator('#lesson-end')).toHaveText('Lesson completed.');
    expect(
      await page.evaluate(() => (window as unknown as { lmsData: Record<string, string> }).lmsData),
    ).toMatchObject({
      'cmi.core.lesson_status': 'completed',
    });

    // Leaving the lesson (the LMS closes the frame) finishes the session, once, last.
    await page.evaluate(() => document.getElementById('sco')?.remove());
    await expect.poll(names).toContain('LMSFinish');
    const all = await names();
    expect(all.filter((n) => n === 'LMSFinish')).toHaveLength(1);
    expect(all[all.length - 1]).toBe('LMSFinish');
    expect(all.indexOf('LMSCommit')).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  test('opened on its own (no LMS) the lesson reads fine and nothing throws', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/lessons/p01-l01.html`);
    await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();
    await expect(page.locator('#lesson-end')).toHaveText(/outside a learning management system/);
    await page.locator('#lesson-end').scrollIntoViewIfNeeded();
    await page.close({ runBeforeUnload: true });
    expect(errors).toEqual([]);
  });
});
