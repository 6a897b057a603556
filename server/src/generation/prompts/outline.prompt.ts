import { OUTLINE_LIMITS } from '../schemas/outline.schema';
import type { OutlineContext } from './prompt-context';
import { languageName, levelText, outputRules, type PromptTemplate } from './prompt-template';

export const outlinePrompt: PromptTemplate<OutlineContext> = {
  id: 'outline@1',
  system: [
    'You are a senior instructional designer who plans practical, project-based online courses.',
    'A course is a sequence of projects; each project is a milestone the learner builds or achieves,',
    'ordered from foundations to a capstone. You propose distinct alternative outlines so an editor can choose one.',
  ].join(' '),
  render(ctx) {
    return [
      `Propose ${ctx.proposals} alternative course outline(s) for this topic.`,
      '',
      `Topic: ${ctx.topic}`,
      `Audience: ${ctx.audience || 'general learners'}`,
      `Level: ${levelText(ctx.level)}`,
      `Language: ${languageName(ctx.language)}`,
      '',
      'Requirements:',
      `- Exactly ${ctx.proposals} outline(s); each takes a clearly different angle (e.g. depth-first, project-first, use-case-led).`,
      `- Each outline has exactly ${ctx.project_count} project(s), ordered so each builds on the previous one, with distinct titles.`,
      `- Course title at most ${OUTLINE_LIMITS.title} characters; course description at most ${OUTLINE_LIMITS.description} characters.`,
      `- Each project: a title (at most ${OUTLINE_LIMITS.title} characters), a description (at most ${OUTLINE_LIMITS.description} characters)`,
      `  and ${OUTLINE_LIMITS.objectives.min} to ${OUTLINE_LIMITS.objectives.max} learning objectives (each at most ${OUTLINE_LIMITS.objective} characters, starting with a verb).`,
      '',
      outputRules(ctx.language),
    ].join('\n');
  },
};
