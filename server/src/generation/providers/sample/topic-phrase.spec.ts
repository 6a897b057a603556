import type { CourseContext } from '../../prompts/prompt-context';
import { outlineProposalsSchema } from '../../schemas/outline.schema';
import { lessonsForProjectSchema } from '../../schemas/lessons.schema';
import { tasksForLessonSchema } from '../../schemas/tasks.schema';
import { writeLessons, writeOutlines, writeTasks } from './sample-writer';
import { analyzeTopic, gerund } from './topic-phrase';

/** Topics as people type them: noun phrases, imperatives, gerunds, questions, shouting, very short and long. */
const PHRASINGS = [
  'Board games',
  'board games',
  'Woodworking 101',
  'Python for data analysis',
  'Build a board game from scratch',
  'Build a Board Game From Scratch',
  'Learn to cook Italian food',
  'Cooking Mastery',
  'Getting started with Rust',
  'How do I start a vegetable garden?',
  'how to train your dog',
  'Go',
  'Beekeeping.',
  'Kubernetes for data engineers',
  'Baking sourdough bread',
  'Design a logo',
  'Design patterns in TypeScript',
  'What is machine learning?',
  'How does the stock market work?',
  'I want to learn how to play the guitar',
  'How can I start my own business?',
  'Plan and plant a vegetable garden',
  'LEARN PYTHON',
  'Public speaking!!!',
  'Learning to code',
  'A very long topic that goes on and on about the history of maritime navigation instruments in the Mediterranean and beyond, including astrolabes',
];

/** Everything a learner reads for one topic, as [where, text] pairs; the outputs also pass the schemas. */
function courseTexts(topic: string): [string, string][] {
  const audience = 'curious adults';
  const { outlines } = writeOutlines({
    stage: 'outline',
    topic,
    audience,
    level: 'beginner',
    language: 'en',
    project_count: 5,
    proposals: 3,
  });
  expect(outlineProposalsSchema(3, 5).safeParse({ outlines }).success).toBe(true);
  const texts: [string, string][] = [];
  for (const outline of outlines) {
    texts.push(['course title', outline.title], ['course description', outline.description]);
    const course: CourseContext = {
      title: outline.title,
      description: outline.description,
      topic,
      audience,
      level: 'beginner',
      language: 'en',
    };
    outline.projects.forEach((project, index) => {
      texts.push(['project title', project.title], ['project description', project.description]);
      for (const objective of project.objectives) texts.push(['objective', objective]);
      const { lessons } = writeLessons({
        stage: 'lessons',
        course,
        project,
        sibling_projects: outline.projects.map((p) => p.title),
        project_index: index,
        existing_lessons: [],
        lesson_count: 3,
      });
      expect(lessonsForProjectSchema(3).safeParse({ lessons }).success).toBe(true);
      for (const lesson of lessons) {
        texts.push(['lesson title', lesson.title], ['lesson summary', lesson.summary]);
        for (const line of lesson.content.split('\n')) texts.push(['lesson content', line]);
      }
      const { tasks } = writeTasks({
        stage: 'tasks',
        course,
        project,
        lesson: lessons[0],
        sibling_lessons: lessons.map((l) => l.title),
        existing_tasks: [],
        task_count: 4,
      });
      expect(tasksForLessonSchema(4).safeParse({ tasks }).success).toBe(true);
      for (const task of tasks) {
        texts.push(['task title', task.title]);
        for (const line of task.instructions.split('\n')) texts.push(['task instructions', line]);
      }
    });
  }
  return texts.filter(([, text]) => text.trim() !== '');
}

/** Patterns that only ungrammatical output matches. */
const UNGRAMMATICAL: [string, RegExp][] = [
  [
    'a preposition before a bare verb',
    /\b(?:for|of|in|with|about|on|into) (?:build|learn|start|cook|make|create|plan|train|play|bake)\b/i,
  ],
  ['"learn" before a bare verb', /\blearn (?:build|start|cook|make|create|plan|train|play|bake|how)\b/i],
  ['"to learn to"', /\bto learn to\b/i],
  ['a doubled word', /\b(\w+) \1\b/i],
  ['a double space', / {2}/],
  ['a question mark inside a sentence', /\?(?!\s*$)/],
  ['a sentence starting in lower case', /[.!?] [a-z]/],
  ['"a" before a vowel', /\ba [aeio]\w/i],
  ['"an" before a consonant', /\ban [bcdfgjklmnpqrstvwxz]/i],
  ['an unfilled slot or missing value', /\{\w+\}|undefined|null|NaN/],
  ['a singular verb after a plural "-s" concept', /\b\w+s (?:is|shows|matters|goes|works|calls) /],
];

/** The first letter a reader sees in a text (after list markers and bold) must be a capital. */
const startsLower = (text: string): boolean =>
  /^[a-z]/.test(text.replace(/^(?:#+ |- |\d+\. |\*\*|“)+/, '').replace(/^\*\*/, ''));

describe('analyzeTopic', () => {
  it.each([
    ['Board games', 'subject', 'board games', 'Board Games', null],
    ['Woodworking 101', 'subject', 'woodworking', 'Woodworking', null],
    ['Python for data analysis', 'subject', 'Python for data analysis', 'Python for Data Analysis', null],
    [
      'Build a Board Game From Scratch',
      'activity',
      'building a board game from scratch',
      'Building a Board Game from Scratch',
      'build a board game from scratch',
    ],
    [
      'Learn to cook Italian food',
      'activity',
      'cooking Italian food',
      'Cooking Italian Food',
      'cook Italian food',
    ],
    ['Cooking Mastery', 'subject', 'cooking', 'Cooking', null],
    ['Getting started with Rust', 'subject', 'Rust', 'Rust', null],
    [
      'How do I start a vegetable garden?',
      'activity',
      'starting a vegetable garden',
      'Starting a Vegetable Garden',
      'start a vegetable garden',
    ],
    ['go', 'subject', 'Go', 'Go', null],
    [
      'Baking sourdough bread',
      'activity',
      'baking sourdough bread',
      'Baking Sourdough Bread',
      'bake sourdough bread',
    ],
    [
      'Design patterns in TypeScript',
      'subject',
      'design patterns in TypeScript',
      'Design Patterns in TypeScript',
      null,
    ],
    ['Design a logo', 'activity', 'designing a logo', 'Designing a Logo', 'design a logo'],
    ['How does the stock market work?', 'subject', 'the stock market', 'the Stock Market', null],
    [
      'How can I start my own business?',
      'activity',
      'starting your own business',
      'Starting Your Own Business',
      'start your own business',
    ],
    [
      'Plan and plant a vegetable garden',
      'activity',
      'planning and planting a vegetable garden',
      'Planning and Planting a Vegetable Garden',
      'plan and plant a vegetable garden',
    ],
    ['LEARN PYTHON', 'subject', 'Python', 'Python', null],
    ['Learning to code', 'activity', 'coding', 'Coding', 'code'],
    ['Pricing strategy for small SaaS companies', 'subject', 'pricing strategy', 'Pricing Strategy', null],
  ])('reads %j as a %s: "%s"', (topic, kind, noun, Noun, verb) => {
    expect(analyzeTopic(topic)).toMatchObject({ kind, noun, Noun, verb });
  });

  it('shortens a repeated mention by dropping the qualifier', () => {
    expect(analyzeTopic('Build a board game from scratch').short).toBe('building a board game');
    expect(analyzeTopic('Python for data analysis').Short).toBe('Python');
    expect(analyzeTopic('the history of jazz').short).toBe('the history of jazz');
  });

  it.each([
    ['build', 'building'],
    ['make', 'making'],
    ['plan', 'planning'],
    ['run', 'running'],
    ['visit', 'visiting'],
    ['tie', 'tying'],
    ['fix', 'fixing'],
    ['play', 'playing'],
    ['see', 'seeing'],
    ['program', 'programming'],
  ])('forms the -ing of %s: %s', (verb, form) => {
    expect(gerund(verb)).toBe(form);
  });

  it('is deterministic', () => {
    for (const topic of PHRASINGS) expect(analyzeTopic(topic)).toEqual(analyzeTopic(topic));
  });
});

describe('sample content for any topic phrasing', () => {
  it.each(PHRASINGS)('reads grammatically: %s', (topic) => {
    const problems: string[] = [];
    for (const [where, text] of courseTexts(topic)) {
      for (const [name, pattern] of UNGRAMMATICAL)
        if (pattern.test(text)) problems.push(`${name} in ${where}: ${text}`);
      if (startsLower(text)) problems.push(`lower-case start in ${where}: ${text}`);
      if (/title/.test(where) && /[?!]/.test(text)) problems.push(`punctuation in ${where}: ${text}`);
    }
    expect(problems).toEqual([]);
  });

  it('never puts a bare verb after a preposition, in titles or running text (the old output did)', () => {
    const texts = courseTexts('Build a board game from scratch').map(([, text]) => text);
    expect(texts.join('\n')).not.toMatch(/\b(?:for|in|of|with) build\b|learn build/i);
    expect(texts.join('\n')).toMatch(/Building a Board Game/);
  });

  describe('when spot-checking exact output', () => {
    const outline = (topic: string) =>
      writeOutlines({
        stage: 'outline',
        topic,
        audience: 'curious adults',
        level: 'beginner',
        language: 'en',
        project_count: 5,
        proposals: 3,
      }).outlines;

    it('an imperative: "Build a board game from scratch"', () => {
      const [, second, third] = outline('Build a board game from scratch');
      expect(second.title).toBe('Building a Board Game from Scratch: Learn by Making');
      expect(second.description).toMatch(
        /^A hands-on course for curious adults: you learn to build a board game from scratch by making real things from the first week\./,
      );
      expect(third.projects[0].title).toBe('Setting Up to Build a Board Game from Scratch');
      expect(third.projects[0].description).toMatch(
        /^Set up what you need, learn the vocabulary of building a board game and /,
      );
    });

    it('a question: "How do I start a vegetable garden?"', () => {
      const [first] = outline('How do I start a vegetable garden?');
      expect(first.title).toBe('Start a Vegetable Garden: A Hands-On Course');
      expect(first.projects[0].title).toBe('Setting Up to Start a Vegetable Garden');
      expect(first.description).toMatch(
        /^A hands-on course for curious adults: you learn to start a vegetable garden /,
      );
    });

    it('a noun phrase: "Board games"', () => {
      const titles = outline('Board games').map((o) => o.title);
      expect(titles).toEqual([
        'Foundations of Board Games',
        'A 5-Project Path to Board Games',
        'Board Games at Work',
      ]);
    });
  });
});
