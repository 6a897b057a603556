import type { CourseContext } from './prompt-context';

/** A versioned prompt: bump the number in `id` whenever `system` or `render` changes what the model is asked. */
export interface PromptTemplate<C> {
  /** '<stage>@<version>', e.g. 'lessons@1'; sent with each call as the `prompt` tag. */
  readonly id: string;
  readonly system: string;
  render(ctx: C): string;
}

export function bulletList(items: readonly string[], empty = '(none)'): string {
  return items.length ? items.map((item) => `- ${item}`).join('\n') : empty;
}

export function levelText(level: CourseContext['level']): string {
  return level ?? 'any level';
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language' });

/** 'en' → 'English', 'pt-BR' → 'Brazilian Portuguese'; anything that is not a tag is kept as written. */
export function languageName(language: string): string {
  try {
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)
      ? (LANGUAGE_NAMES.of(language) ?? language)
      : language;
  } catch {
    return language;
  }
}

export function courseBlock(course: CourseContext): string {
  return [
    `Course: ${course.title || '(untitled)'}`,
    course.description ? `Course description: ${course.description}` : undefined,
    `Topic: ${course.topic}`,
    `Audience: ${course.audience || 'general learners'}`,
    `Level: ${levelText(course.level)}`,
    `Language: ${languageName(course.language)}`,
  ]
    .filter((line): line is string => line !== undefined)
    .join('\n');
}

/**
 * An editor's guidance for a regeneration (docs/regeneration.md), fenced so it reads as data, not as the prompt's own
 * rules; no lines at all without it, so a prompt without instructions renders exactly as before.
 */
export function instructionsBlock(instructions: string | undefined): string[] {
  const text = instructions?.trim();
  if (!text) return [];
  return [
    "The editor's instructions for this version (follow them where they do not contradict the requirements above):",
    '"""',
    text.replaceAll('"""', '""'),
    '"""',
    '',
  ];
}

/** Shared closing rules: JSON only, the language, and no filler. */
export function outputRules(language: string): string {
  return [
    `Write every text field in ${languageName(language)}.`,
    'Answer with a single JSON object that matches the requested schema, and nothing else.',
    'Be concrete and specific to the topic; no placeholders, no "Lorem ipsum", no "Lesson 1" style titles.',
  ].join('\n');
}
