import request from 'supertest';
import { DataSource } from 'typeorm';
import { SESSION_COOKIE_NAME } from '../../server/src/accounts/auth/session-cookie';
import {
  authedAgent,
  bearer,
  cookieAgent,
  createUser,
  login,
  sameOrigin,
  TestUser,
} from '../support/accounts';
import { countRows, courseRow, courseSpec, createCourse } from '../support/curriculum-builders';
import { GENERATE, queueCourse } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const EVIL = 'https://evil.example';
const TRUSTED_UI = 'https://ui.courseloom.test';
const UPLOAD = '/api/admin/curriculum/upload';
const OUTLINE_MD = '# Cross-site course\n\n## Project one\n\n### Lesson one\n';

const refused = {
  statusCode: 403,
  error: 'Forbidden',
  message: expect.stringMatching(/^Cross-site request refused/),
  request_id: expect.any(String),
};

/** docs/accounts-and-curriculum.md#cross-site-requests */
describe('cross-site requests (CSRF)', () => {
  let app: TestApp;
  let user: TestUser;
  let cookie: string;
  let token: string;

  const jobStatus = async (jobId: string): Promise<string> =>
    (
      await app.app
        .get(DataSource)
        .query<{ status: string }[]>(`SELECT status FROM course_generation_jobs WHERE id = $1`, [jobId])
    )[0].status;
  const pendingJob = async (): Promise<string> =>
    queueCourse(authedAgent(app, token), await createCourse(app, user, courseSpec({ lessons: 0 })));
  /** A cookie-authenticated request, as a browser would send it from another site (or with no origin at all). */
  const withCookie = (test: request.Test): request.Test => test.set('Cookie', cookie);

  beforeAll(async () => {
    app = await startTestApp({ env: { CORS_ORIGINS: TRUSTED_UI } });
    user = await createUser(app, { role: 'owner' });
    ({ cookie, token } = await login(app, user.email, user.password));
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('when a cookie-authenticated request comes from another site', () => {
    it('refuses a body-less POST (cancel) with 403 and the job stays pending', async () => {
      const jobId = await pendingJob();
      const res = await withCookie(request(app.baseUrl).post(`${GENERATE}/jobs/${jobId}/cancel`)).set(
        'Origin',
        EVIL,
      );
      expect({ status: res.status, body: res.body }).toEqual({ status: 403, body: refused });
      expect(await jobStatus(jobId)).toBe('pending');
    });

    it('refuses it when only Sec-Fetch-Site says cross-site or same-site', async () => {
      const jobId = await pendingJob();
      for (const site of ['cross-site', 'same-site', 'none']) {
        await withCookie(request(app.baseUrl).post(`${GENERATE}/jobs/${jobId}/cancel`))
          .set('Sec-Fetch-Site', site)
          .expect(403);
      }
      expect(await jobStatus(jobId)).toBe('pending');
    });

    it('refuses it with neither Origin nor Sec-Fetch-Site, and with Origin null', async () => {
      const jobId = await pendingJob();
      await withCookie(request(app.baseUrl).post(`${GENERATE}/jobs/${jobId}/cancel`)).expect(403);
      await withCookie(request(app.baseUrl).post(`${GENERATE}/jobs/${jobId}/cancel`))
        .set('Origin', 'null')
        .expect(403);
      expect(await jobStatus(jobId)).toBe('pending');
    });

    it('refuses an origin that only looks like this one (other port, other scheme)', async () => {
      const jobId = await pendingJob();
      const { port } = new URL(app.baseUrl);
      for (const origin of [`http://127.0.0.1:${Number(port) + 1}`, `https://127.0.0.1:${port}`]) {
        await withCookie(request(app.baseUrl).post(`${GENERATE}/jobs/${jobId}/cancel`))
          .set('Origin', origin)
          .expect(403);
      }
      expect(await jobStatus(jobId)).toBe('pending');
    });

    it('refuses a JSON PATCH and a DELETE; the course is unchanged', async () => {
      const courseId = await createCourse(app, user, courseSpec({ title: 'Kept' }));
      const before = await courseRow(app, courseId);
      const patch = await withCookie(request(app.baseUrl).patch(`/api/admin/curriculum/courses/${courseId}`))
        .set('Origin', EVIL)
        .send({ title: 'Defaced' });
      expect({ status: patch.status, body: patch.body }).toEqual({ status: 403, body: refused });
      await withCookie(request(app.baseUrl).delete(`/api/admin/curriculum/courses/${courseId}`))
        .set('Origin', EVIL)
        .expect(403);
      expect(await courseRow(app, courseId)).toEqual(before);
      const detail = await authedAgent(app, token)
        .get(`/api/admin/curriculum/courses/${courseId}`)
        .expect(200);
      expect(detail.body.title).toBe('Kept');
    });

    it('refuses a plain HTML form post (urlencoded) to a body-less endpoint; the course is not published', async () => {
      const courseId = await createCourse(app, user, courseSpec({ lessons: 1, tasks: 1 }), {
        status: 'ready',
      });
      await withCookie(request(app.baseUrl).post(`/api/admin/curriculum/courses/${courseId}/publish`))
        .set('Origin', EVIL)
        .type('form')
        .send({ confirm: 'yes' })
        .expect(403);
      expect((await courseRow(app, courseId))?.status).toBe('ready');
    });

    it('refuses a multipart upload; no course is created', async () => {
      const before = await countRows(app);
      await withCookie(request(app.baseUrl).post(UPLOAD))
        .set('Origin', EVIL)
        .attach('file', Buffer.from(OUTLINE_MD), 'outline.md')
        .expect(403);
      expect(await countRows(app)).toEqual(before);
    });

    it('refuses logout, so another site cannot sign the user out', async () => {
      const session = await login(app, user.email, user.password);
      await request(app.baseUrl)
        .post('/api/auth/logout')
        .set('Cookie', session.cookie)
        .set('Origin', EVIL)
        .expect(403);
      await request(app.baseUrl).get('/api/auth/me').set(bearer(session.token)).expect(200);
    });

    it("refuses Bull Board's state-changing routes before they run", async () => {
      const res = await withCookie(
        request(app.baseUrl).put('/admin/queues/api/queues/course-generation/pause'),
      )
        .set('Origin', EVIL)
        .expect(403);
      expect(res.body).toEqual(refused);
    });
  });

  describe('when a cookie-authenticated request comes from this site', () => {
    it('accepts it with a same-origin Origin', async () => {
      const jobId = await pendingJob();
      await cookieAgent(app, cookie).post(`${GENERATE}/jobs/${jobId}/cancel`).expect(200);
      expect(await jobStatus(jobId)).toBe('cancelled');
    });

    it('accepts it with Sec-Fetch-Site: same-origin and no Origin', async () => {
      const courseId = await createCourse(app, user, courseSpec({ title: 'Before' }));
      const res = await withCookie(request(app.baseUrl).patch(`/api/admin/curriculum/courses/${courseId}`))
        .set('Sec-Fetch-Site', 'same-origin')
        .send({ title: 'After' })
        .expect(200);
      expect(res.body.title).toBe('After');
    });

    it('accepts an origin listed in CORS_ORIGINS', async () => {
      const jobId = await pendingJob();
      await withCookie(request(app.baseUrl).post(`${GENERATE}/jobs/${jobId}/cancel`))
        .set('Origin', TRUSTED_UI)
        .expect(200);
    });

    it('accepts a multipart upload on the upload route', async () => {
      const res = await cookieAgent(app, cookie)
        .post(UPLOAD)
        .attach('file', Buffer.from(OUTLINE_MD), 'outline.md')
        .expect(201);
      expect(res.body.course_id).toEqual(expect.any(String));
    });

    it('logs out', async () => {
      const session = await login(app, user.email, user.password);
      await request(app.baseUrl)
        .post('/api/auth/logout')
        .set('Cookie', session.cookie)
        .set(sameOrigin(app))
        .expect(204);
      await request(app.baseUrl).get('/api/auth/me').set(bearer(session.token)).expect(401);
    });
  });

  describe('when the request carries a Bearer token', () => {
    it('is not concerned by the rule, whatever Origin it names (another site cannot set the header)', async () => {
      const jobId = await pendingJob();
      await request(app.baseUrl)
        .post(`${GENERATE}/jobs/${jobId}/cancel`)
        .set(bearer(token))
        .set('Origin', EVIL)
        .expect(200);
      expect(await jobStatus(jobId)).toBe('cancelled');
    });

    it('wins over a cookie sent along with it', async () => {
      const jobId = await pendingJob();
      await request(app.baseUrl)
        .post(`${GENERATE}/jobs/${jobId}/cancel`)
        .set(bearer(token))
        .set('Cookie', cookie)
        .expect(200);
    });
  });

  describe('when a browser on another site posts the login form (login CSRF)', () => {
    const loginAttempt = () =>
      request(app.baseUrl)
        .post('/api/auth/login')
        .set('X-Forwarded-For', `10.77.${Math.floor(Math.random() * 250)}.1`);

    it('refuses a cross-site Origin or Sec-Fetch-Site with 403 and sets no cookie', async () => {
      for (const headers of [{ Origin: EVIL }, { 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'null' }]) {
        const res = await loginAttempt().set(headers).send({ email: user.email, password: user.password });
        expect({ status: res.status, body: res.body }).toEqual({ status: 403, body: refused });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('refuses a urlencoded login form even from this site (JSON only) with 415', async () => {
      const res = await loginAttempt()
        .set(sameOrigin(app))
        .type('form')
        .send({ email: user.email, password: user.password });
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('accepts a same-origin login and a login without browser headers (curl, scripts)', async () => {
      const fromUi = await loginAttempt()
        .set(sameOrigin(app))
        .set('Sec-Fetch-Site', 'same-origin')
        .send({ email: user.email, password: user.password })
        .expect(200);
      expect(String(fromUi.headers['set-cookie'])).toContain(`${SESSION_COOKIE_NAME}=`);
      await loginAttempt().send({ email: user.email, password: user.password }).expect(200);
    });
  });

  describe('when a body is not JSON', () => {
    it('refuses urlencoded, text/plain and multipart bodies outside the upload route with 415, even signed in by Bearer', async () => {
      const courseId = await createCourse(app, user, courseSpec({ title: 'Same' }));
      const agent = authedAgent(app, token);
      const path = `/api/admin/curriculum/courses/${courseId}`;
      const form = await agent.patch(path).type('form').send({ title: 'Form' });
      expect({ status: form.status, body: form.body }).toEqual({
        status: 415,
        body: {
          statusCode: 415,
          error: 'Unsupported Media Type',
          message: 'Unsupported Content-Type "application/x-www-form-urlencoded": send application/json',
          request_id: expect.any(String),
        },
      });
      await agent.patch(path).set('Content-Type', 'text/plain').send('{"title":"Text"}').expect(415);
      await agent.patch(path).attach('file', Buffer.from('x'), 'x.txt').expect(415);
      const detail = await agent.get(path).expect(200);
      expect(detail.body.title).toBe('Same');
    });
  });
});
