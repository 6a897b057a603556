import { CoursePage } from './pages/course-page';
import { LoginPage } from './pages/login-page';
import { expect, test } from './support/fixtures';

/** Cookie-authenticated writes must say they are same-origin (docs/accounts-and-curriculum.md). */
const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' };

const INSTRUCTIONS = [
  '## Set up the board',
  '',
  '1. Print the **board**.',
  '2. Shuffle the deck.',
  '',
  '- Two players',
  '- One die',
  '',
  '```',
  'roll(2, "d6")',
  '```',
  '',
  '**Done when:** the first turn is played.',
].join('\n');

test('a task’s instructions read as the learner sees them, and stay editable as Markdown with a preview', async ({
  page,
  pageErrors,
}) => {
  pageErrors.allow(/401/); // GET /api/auth/me before signing in
  const login = new LoginPage(page);
  await login.goto('/curriculum');
  await login.signIn();
  await expect(page.getByTestId('app-shell')).toBeVisible();
  const upload = await page.request.post('/api/admin/curriculum/upload', {
    headers: SAME_ORIGIN,
    data: {
      title: 'Rendered content',
      projects: [
        {
          title: 'Getting started',
          lessons: [
            {
              title: 'The board',
              content: '# The board\n\nA **square** grid.',
              tasks: [{ title: 'Set it up', instructions: INSTRUCTIONS, kind: 'exercise' }],
            },
          ],
        },
      ],
    },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const { course_id } = (await upload.json()) as { course_id: string };

  const course = new CoursePage(page);
  await course.goto(course_id);
  const task = page.getByTestId('task-instructions-0-0-0');

  // Headings, lists and code blocks are HTML; no Markdown syntax shows.
  await expect(task.getByRole('heading', { name: 'Set up the board' })).toBeVisible();
  await expect(task.locator('ol > li')).toHaveText(['Print the board.', 'Shuffle the deck.']);
  await expect(task.locator('ul > li')).toHaveText(['Two players', 'One die']);
  await expect(task.locator('pre > code')).toHaveText('roll(2, "d6")');
  await expect(task.locator('strong').last()).toHaveText('Done when:');
  await expect(task).not.toContainText('**');
  await expect(task).not.toContainText('```');

  // Editing edits the Markdown source, with a live preview; saving shows the new text rendered.
  await page.getByTestId('task-instructions-0-0-0-edit').click();
  const source = page.getByTestId('task-instructions-0-0-0-input');
  await expect(source).toHaveValue(INSTRUCTIONS);
  await source.fill(`${INSTRUCTIONS}\n\n### Variant\n\nPlay with **three** players.`);
  const preview = page.getByTestId('task-instructions-0-0-0-preview');
  await expect(preview.getByRole('heading', { name: 'Variant' })).toBeVisible();
  await expect(preview.locator('strong', { hasText: 'three' })).toBeVisible();
  await page.getByTestId('task-instructions-0-0-0-save').click();
  await expect(task.getByRole('heading', { name: 'Variant' })).toBeVisible();
  await expect(task).not.toContainText('**');

  // The lesson's content is rendered the same way.
  await page.locator('details summary', { hasText: 'Lesson content' }).click();
  await expect(page.getByTestId('lesson-content').getByRole('heading', { name: 'The board' })).toBeVisible();
});
