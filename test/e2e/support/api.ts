import { type APIRequestContext, expect } from '@playwright/test';

import type { QueueCourseResponse } from '../../../contracts/api';

/**
 * What the browser sends with the admin UI's own requests. Playwright's API requests carry the page's session cookie
 * but no Origin or Sec-Fetch-Site, and cookie-authenticated writes need one (docs/accounts-and-curriculum.md).
 */
const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' };

/** A project of an uploaded outline: no lessons yet, so a generation job writes them. */
export interface OutlineProjectInput {
  title: string;
  description?: string;
  objectives?: string[];
}

/**
 * Creates a draft course from a JSON outline (POST /api/admin/curriculum/upload), as an admin would by uploading
 * an outline file. `request` is the page's (`page.request`), so it is signed in with the browser's session cookie.
 */
export async function uploadCourse(
  request: APIRequestContext,
  outline: { title: string; description?: string; projects: OutlineProjectInput[] },
): Promise<string> {
  const response = await request.post('/api/admin/curriculum/upload', {
    data: outline,
    headers: SAME_ORIGIN,
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { course_id: string }).course_id;
}

/** Generate & Queue for a course (POST /api/admin/curriculum/generate/:courseId/queue); the job's id. */
export async function queueCourse(
  request: APIRequestContext,
  courseId: string,
  autoPublish = false,
): Promise<string> {
  const response = await request.post(`/api/admin/curriculum/generate/${courseId}/queue`, {
    data: { auto_publish: autoPublish },
    headers: SAME_ORIGIN,
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as QueueCourseResponse).job_id;
}

/** `count` projects named after the course. */
export function projects(course: string, count: number): OutlineProjectInput[] {
  return Array.from({ length: count }, (_, i) => ({
    title: `${course}: part ${i + 1}`,
    description: `Part ${i + 1} of ${course}.`,
    objectives: [`Finish part ${i + 1}`],
  }));
}
