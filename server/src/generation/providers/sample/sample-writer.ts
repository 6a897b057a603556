import type { Outline, OutlineProject, TaskKind } from '../../../../../contracts/api';
import type {
  LessonsContext,
  OutlineContext,
  StageContext,
  TasksContext,
} from '../../prompts/prompt-context';
import type { GeneratedLesson } from '../../schemas/lessons.schema';
import type { GeneratedTask } from '../../schemas/tasks.schema';
import { Rng } from './prng';
import {
  BANKS,
  DOMAIN_KEYWORDS,
  LESSON_IDEAS,
  LESSON_INTRO,
  LESSON_RECAP,
  LESSON_RESULT,
  LESSON_STEPS,
  LESSON_TITLES,
  LESSON_WHY,
  OBJECTIVE_TEMPLATES,
  OUTLINE_ANGLES,
  PROJECT_ARC,
  TASK_TEMPLATES,
  type Domain,
  type DomainBank,
} from './vocabulary';
import { analyzeTopic, titleCase, type TopicPhrase } from './topic-phrase';

export { titleCase };

// ---------- text helpers ----------

type Slots = Record<string, string>;

/** Replaces each `{name}` with `slots[name]`; an unknown name is a bug in a template and throws. */
export function fill(template: string, slots: Slots): string {
  return template.replace(/\{([A-Za-z_0-9]+)\}/g, (_, name: string) => {
    const value = slots[name];
    if (value === undefined) throw new Error(`sample template slot {${name}} has no value`);
    return value;
  });
}

/** Whether every `{name}` of the template has a value: templates for another form of the topic do not. */
const fits = (template: string, slots: Slots): boolean =>
  [...template.matchAll(/\{([A-Za-z_0-9]+)\}/g)].every(([, name]) => slots[name] !== undefined);

/** The templates that fit the slots (a template list always has at least one that fits any topic). */
function fitting<T extends string>(templates: readonly T[], slots: Slots): T[] {
  const usable = templates.filter((t) => fits(t, slots));
  if (!usable.length) throw new Error(`no sample template fits: ${templates.join(' | ')}`);
  return usable;
}

const capitalize = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** A filled title: at most `max` characters and starting with a capital ("the Stock Market …" → "The …"). */
const titled = (template: string, slots: Slots, max = 120): string =>
  capitalize(clip(fill(template, slots), max));

export const withArticle = (noun: string): string => {
  const vowelSound = /^(hour|honest|[aeio]|u(?!ni|se|su|ti))/i.test(noun) && !/^(one|eu)/i.test(noun);
  return `${vowelSound ? 'an' : 'a'} ${noun}`;
};

/** At most `max` characters, cut at a word boundary (no ellipsis: these are titles and sentences). */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : clean.slice(0, max)).replace(/[\s,;:—–-]+$/, '');
}

/** Like `clip`, for Markdown: keeps line breaks, cuts at the last line that fits. */
export function clipBlock(text: string, max: number): string {
  const clean = text.trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const newline = cut.lastIndexOf('\n');
  return (newline > max / 2 ? cut.slice(0, newline) : clip(cut, max - 1)).trim();
}

const sameTitle = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

// ---------- the topic ----------

export interface TopicProfile {
  /** The topic's forms for running text and titles (see topic-phrase.ts). */
  phrase: TopicPhrase;
  domain: Domain;
  bank: DomainBank;
}

export function profileTopic(topic: string): TopicProfile {
  const phrase = analyzeTopic(topic);
  // Words of the analysed topic count twice: "Kubernetes for data engineers" is about Kubernetes, not data.
  const tokens = (text: string): string[] =>
    text
      .toLowerCase()
      .split(/[^a-z0-9.#+-]+/)
      .filter(Boolean);
  const core = tokens(`${phrase.noun} ${phrase.verb ?? ''}`);
  const weighted = [...core, ...core, ...tokens(topic)];
  let domain: Domain = 'general';
  let best = 0;
  for (const [candidate, keywords] of Object.entries(DOMAIN_KEYWORDS) as [
    Exclude<Domain, 'general'>,
    string[],
  ][]) {
    const score = weighted.filter((w) => keywords.includes(w)).length;
    if (score > best) {
      best = score;
      domain = candidate;
    }
  }
  return { phrase, domain, bank: BANKS[domain] };
}

/** The domain's concepts in random order, then the general ones (used only once the domain's run out). */
function conceptOrder(profile: TopicProfile, rng: Rng): string[] {
  const own = rng.shuffle(profile.bank.concepts);
  const general = rng.shuffle(BANKS.general.concepts.filter((c) => !own.includes(c)));
  return [...own, ...general];
}

/**
 * The topic's slots: `{c}`/`{C}` a noun phrase ("an introduction to {c}"), `{c_full}`/`{C_full}` the same with
 * its qualifier ("… from scratch", "… for data analysis"), `{learn_c}` "learn …"/"learn to …",
 * `{S}` only for a subject ("Applied {S}"), `{v}`/`{V}` only for an action ("Setting Up to {V}").
 */
function baseSlots(profile: TopicProfile, audience: string, level: string | null): Slots {
  const who = audience.trim().replace(/[.!?]+$/, '') || 'learners';
  const { phrase } = profile;
  return {
    c: phrase.short,
    C: phrase.Short,
    c_full: phrase.noun,
    C_full: phrase.Noun,
    learn_c: phrase.learn,
    ...(phrase.kind === 'subject' ? { S: phrase.Short, S_full: phrase.Noun } : {}),
    ...(phrase.verb && phrase.Verb ? { v: phrase.verb, V: phrase.Verb } : {}),
    audience: who,
    Audience: titleCase(who), // in titles
    Who: capitalize(who), // at the start of a sentence
    level: level ?? 'chosen',
    At_level: level ? `At the ${level} level` : 'Whatever your level',
  };
}

function artifactSlots(artifact: string, verb: string): Slots {
  return {
    artifact,
    Artifact: titleCase(artifact),
    a_artifact: withArticle(artifact),
    A_artifact: titleCase(withArticle(artifact)),
    a_Artifact: withArticle(titleCase(artifact)),
    verb,
    Verb: capitalize(verb),
  };
}

function conceptSlots(concept: string, suffix = ''): Slots {
  return { [`concept${suffix}`]: concept, [`Concept${suffix}`]: titleCase(concept) };
}

// ---------- outlines ----------

/** Arc positions for `n` projects: the first and the last always, an ordered selection in between. */
function arcFor(n: number, rng: Rng): number[] {
  const last = PROJECT_ARC.length - 1;
  if (n === 1) return [2];
  const middle = Array.from({ length: last - 1 }, (_, i) => i + 1);
  const chosen = rng.sample(middle, Math.min(n - 2, middle.length)).sort((a, b) => a - b);
  // More projects than arc positions: extra "closer look at a concept" projects, each on its own concept.
  while (chosen.length < n - 2) chosen.splice(chosen.length - 1, 0, 4);
  return [0, ...chosen, last];
}

function writeOutline(
  ctx: OutlineContext,
  profile: TopicProfile,
  rng: Rng,
  angle: (typeof OUTLINE_ANGLES)[number],
): Outline {
  const n = ctx.project_count;
  const slots: Slots = {
    ...baseSlots(profile, ctx.audience, ctx.level),
    n: String(n),
    N_projects: n === 1 ? 'One Project' : `${n} Projects`,
    n_focused_projects: n === 1 ? 'a single focused project' : `${n} focused projects`,
  };
  const concepts = conceptOrder(profile, rng);
  const artifacts = rng.shuffle(profile.bank.artifacts);
  const projects: OutlineProject[] = [];
  arcFor(n, rng).forEach((arc, j) => {
    const stage = PROJECT_ARC[arc];
    const projectSlots: Slots = {
      ...slots,
      ...artifactSlots(artifacts[j % artifacts.length], rng.pick(profile.bank.verbs)),
      ...conceptSlots(concepts[(2 * j) % concepts.length], '1'),
      ...conceptSlots(concepts[(2 * j + 1) % concepts.length], '2'),
      context: rng.pick(profile.bank.contexts),
      pitfall: rng.pick(profile.bank.pitfalls)[0],
    };
    let title = '';
    for (const variant of rng.shuffle(fitting(stage.titles, projectSlots))) {
      title = titled(variant, projectSlots);
      if (!projects.some((p) => sameTitle(p.title, title))) break;
    }
    if (projects.some((p) => sameTitle(p.title, title)))
      title = clip(`${title}: ${projectSlots.Concept1}`, 120);
    const closing = rng.pick([
      'By the end you will have {a_artifact} you can show and explain.',
      'Expect to spend most of the time doing rather than reading.',
      'What you make here is reused later in the course.',
      'It is written for {audience}, with examples drawn from their day-to-day work.',
    ]);
    const objectives = rng
      .sample(fitting(OBJECTIVE_TEMPLATES, projectSlots), rng.int(3, 4))
      .map((template) => clip(capitalize(fill(template, projectSlots)), 200));
    projects.push({
      title,
      description: clip(`${fill(stage.description, projectSlots)} ${fill(closing, projectSlots)}`, 600),
      objectives,
    });
  });
  const span =
    n > 1 ? ` It runs through ${n} projects, from “${projects[0].title}” to “${projects[n - 1].title}”.` : '';
  const levelLine = ctx.level ? ` Pitched at the ${ctx.level} level.` : '';
  return {
    title: titled(rng.pick(fitting(angle.titles, slots)), slots),
    description: clip(`${fill(angle.pitch, slots)}${span}${levelLine}`, 600),
    projects,
  };
}

export function writeOutlines(ctx: OutlineContext): { outlines: Outline[] } {
  const key = JSON.stringify([
    ctx.topic.trim().toLowerCase(),
    ctx.audience,
    ctx.level,
    ctx.project_count,
    ctx.seed ?? 0,
  ]);
  const profile = profileTopic(ctx.topic);
  const angles = new Rng(`angles|${key}`).shuffle(OUTLINE_ANGLES);
  const outlines = Array.from({ length: ctx.proposals }, (_, i) =>
    writeOutline(ctx, profile, new Rng(`outline|${key}|${i}`), angles[i % angles.length]),
  );
  return { outlines };
}

// ---------- lessons ----------

function lessonContent(title: string, slots: Slots, rng: Rng, bank: DomainBank): string {
  const intro = rng.sample(LESSON_INTRO, 3).map((s) => fill(s, slots));
  const why = rng.sample(LESSON_WHY, 2).map((s) => fill(s, slots));
  const ideas = rng.sample(LESSON_IDEAS, 4).map((s) => `- ${fill(s, slots)}`);
  const steps = LESSON_STEPS.filter(() => rng.next() < 0.85)
    .slice(0, 5)
    .map((s, i) => `${i + 1}. ${fill(s, slots)}`);
  const pitfalls = rng
    .sample(bank.pitfalls, 2)
    .map(([mistake, remedy]) => `- **${capitalize(mistake)}.** Instead, ${remedy}.`);
  return [
    `## ${title}`,
    '',
    intro.join(' '),
    '',
    '### Why it matters',
    '',
    why.join(' '),
    '',
    '### Key ideas',
    '',
    ...ideas,
    '',
    '### Worked example',
    '',
    `Imagine ${slots.context}. You have been asked to ${slots.verb} ${slots.a_artifact} for ${slots.c}, and the tricky part is ${slots.concept}.`,
    '',
    ...(steps.length >= 3 ? steps : LESSON_STEPS.slice(0, 4).map((s, i) => `${i + 1}. ${fill(s, slots)}`)),
    '',
    fill(rng.pick(LESSON_RESULT), slots),
    '',
    '### Pitfalls to avoid',
    '',
    ...pitfalls,
    '',
    '### Recap',
    '',
    fill(rng.pick(LESSON_RECAP), slots),
  ].join('\n');
}

export function writeLessons(ctx: LessonsContext): { lessons: GeneratedLesson[] } {
  const profile = profileTopic(ctx.course.topic);
  const seed = ctx.seed ?? 0;
  // One concept order per course, and each project starts at its own offset: lessons of different projects
  // cover different concepts, lessons of one project never share one.
  const pool = conceptOrder(profile, new Rng(`concepts|${ctx.course.topic.trim().toLowerCase()}|${seed}`));
  const index = ctx.project_index ?? ctx.sibling_projects.indexOf(ctx.project.title);
  const offset = (index >= 0 ? index : new Rng(ctx.project.title).int(0, pool.length - 1)) * ctx.lesson_count;
  const rng = new Rng(`lessons|${JSON.stringify(ctx)}`);
  const project = `“${clip(ctx.project.title, 80)}”`;
  const taken = [...ctx.existing_lessons];
  const lessons: GeneratedLesson[] = [];
  for (let i = 0, k = 0; lessons.length < ctx.lesson_count; k++) {
    const concept = pool[(offset + i + k) % pool.length];
    const slots: Slots = {
      ...baseSlots(profile, ctx.course.audience, ctx.course.level),
      ...artifactSlots(rng.pick(profile.bank.artifacts), rng.pick(profile.bank.verbs)),
      ...conceptSlots(concept),
      p: project,
      context: rng.pick(profile.bank.contexts),
    };
    const conceptWords = concept
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => w.length > 3);
    const unrelated = LESSON_TITLES.filter(
      (t) => !conceptWords.some((w) => t.toLowerCase().includes(w.slice(0, 5))),
    );
    let title = '';
    for (const template of rng.shuffle(fitting(unrelated.length ? unrelated : LESSON_TITLES, slots))) {
      title = titled(template, slots);
      if (!taken.some((t) => sameTitle(t, title))) break;
    }
    if (taken.some((t) => sameTitle(t, title)) && k < pool.length * 2) continue; // try the next concept
    if (taken.some((t) => sameTitle(t, title))) title = clip(`${title} (${lessons.length + 1})`, 120);
    taken.push(title);
    const summary = fill(
      rng.pick([
        'The role of {concept} in {c}, what this project asks of you, and a worked example with {a_artifact}.',
        'A practical look at {concept}: the key ideas, a step-by-step example and the mistakes to avoid.',
        'How to treat {concept} deliberately when you {verb} {a_artifact}, with a worked example from start to finish.',
      ]),
      slots,
    );
    lessons.push({
      title,
      summary: clip(summary, 400),
      content: clipBlock(lessonContent(title, slots, rng, profile.bank), 12_000),
      estimated_minutes: rng.int(2, 9) * 5,
    });
    i++;
  }
  return { lessons };
}

// ---------- tasks ----------

function taskInstructions(kind: TaskKind, slots: Slots): string {
  switch (kind) {
    case 'exercise':
      return [
        `Use what you learned in “${slots.Lesson}” on a small ${slots.artifact} of your own.`,
        '',
        `1. Take ${slots.context} as your scenario and write down, in one sentence, what a good result looks like.`,
        `2. ${slots.Verb} a first version that focuses only on ${slots.concept}.`,
        '3. Check the result against your sentence and fix the biggest gap you find.',
        '4. Note one thing you would do differently next time.',
        '',
        `**Done when:** you have a working ${slots.artifact} and a two-line note explaining your decision about ${slots.concept}.`,
      ].join('\n');
    case 'quiz':
      return [
        'Answer each question in one or two sentences without looking back at the lesson, then check your answers against it.',
        '',
        `1. In your own words, explain the role of ${slots.concept} in ${slots.c}.`,
        `2. Name one sign that ${slots.a_artifact} gets ${slots.concept} wrong.`,
        `3. What would you do instead of ${slots.pitfall}?`,
        '4. Which step of the worked example would you be tempted to skip under time pressure, and what is the risk?',
        '',
        '**Done when:** you can answer all four and have corrected any answer that did not match the lesson.',
      ].join('\n');
    case 'reflection':
      return [
        `Take ten minutes to write a short reflection (150–250 words) on ${slots.concept} and your own work.`,
        '',
        `- Where have you already met ${slots.concept}, even before this course?`,
        `- Which part of “${slots.Lesson}” felt natural, and which felt unfamiliar?`,
        `- What will you do differently the next time you ${slots.verb} ${slots.a_artifact}?`,
        '',
        '**Done when:** your reflection answers all three prompts and names one concrete change you will try.',
      ].join('\n');
    case 'project':
      return [
        `Build a small ${slots.artifact} around ${slots.concept} for this scenario: ${slots.context}.`,
        '',
        `**Deliverable:** ${slots.a_artifact} plus a half-page note that explains your main decisions.`,
        '',
        '**Requirements:**',
        `- It applies ${slots.concept} deliberately, and the note says where.`,
        `- It avoids ${slots.pitfall}.`,
        '- Someone else could follow your note to review or reproduce it.',
        '',
        '**Done when:** every requirement is met and you have asked one person for feedback.',
      ].join('\n');
  }
}

/** The concept a lesson is about: a known concept named in its title, else the title itself. */
function lessonConcept(title: string, profile: TopicProfile): string {
  const lower = title.toLowerCase();
  const known = [...profile.bank.concepts, ...BANKS.general.concepts].find((c) =>
    lower.includes(c.toLowerCase()),
  );
  return known ?? clip(title, 60);
}

export function writeTasks(ctx: TasksContext): { tasks: GeneratedTask[] } {
  const profile = profileTopic(ctx.course.topic);
  const rng = new Rng(`tasks|${JSON.stringify(ctx)}`);
  const kinds: TaskKind[] = ['exercise', ...rng.shuffle<TaskKind>(['quiz', 'reflection', 'project'])];
  const concept = lessonConcept(ctx.lesson.title, profile);
  const taken = [...ctx.existing_tasks];
  const used = new Set<string>();
  const tasks: GeneratedTask[] = [];
  for (let i = 0; i < ctx.task_count; i++) {
    let kind: TaskKind = i < kinds.length ? kinds[i] : rng.pick(kinds);
    const slots: Slots = {
      ...baseSlots(profile, ctx.course.audience, ctx.course.level),
      ...artifactSlots(rng.pick(profile.bank.artifacts), rng.pick(profile.bank.verbs)),
      ...conceptSlots(concept),
      Lesson: clip(ctx.lesson.title, 70),
      context: rng.pick(profile.bank.contexts),
      pitfall: rng.pick(profile.bank.pitfalls)[0],
    };
    let title: string | undefined;
    // Each kind has three title patterns: take an unused one of this kind, else of any kind.
    for (const candidateKind of [kind, ...rng.shuffle(kinds)]) {
      for (const template of rng.shuffle(TASK_TEMPLATES[candidateKind].titles)) {
        const candidate = titled(template, slots);
        if (!used.has(template) && !taken.some((t) => sameTitle(t, candidate))) {
          title = candidate;
          kind = candidateKind;
          used.add(template);
          break;
        }
      }
      if (title) break;
    }
    title ??= clip(`${titleCase(kind)} ${i + 1}: ${slots.Lesson}`, 120);
    taken.push(title);
    const [min, max] = TASK_TEMPLATES[kind].minutes;
    tasks.push({
      title,
      instructions: clipBlock(taskInstructions(kind, slots), 4000),
      kind,
      estimated_minutes: rng.int(min / 5, max / 5) * 5,
    });
  }
  return { tasks };
}

/** The sample answer to any stage's prompt, from the context it was rendered from. */
export function writeSample(ctx: StageContext): unknown {
  switch (ctx.stage) {
    case 'outline':
      return writeOutlines(ctx);
    case 'lessons':
      return writeLessons(ctx);
    case 'tasks':
      return writeTasks(ctx);
  }
}
