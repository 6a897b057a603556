import type { QualityProblem, QualityReport } from '../../../../contracts/api';
import { checkCounts } from './counts.check';
import { checkDuplicateTitles } from './duplicate-titles.check';
import { checkLanguage } from './language.check';
import { checkMarkdown } from './markdown.check';
import { checkPlaceholders } from './placeholders.check';
import type { QualitySettings, QualityTree } from './quality-tree';

/** Problems kept in a report (a course of 50 × 8 × 8 could otherwise store thousands); the total is kept too. */
export const MAX_REPORTED_PROBLEMS = 200;

/**
 * Every check of the quality gate on a course tree (docs/generation.md, "Quality gate"): it passes when no problem
 * is an error. Pure: the caller reads the tree and stores the report.
 */
export function runQualityGate(
  tree: QualityTree,
  settings: QualitySettings,
  now: Date = new Date(),
): QualityReport {
  const problems: QualityProblem[] = [
    ...checkCounts(tree, settings.expected_projects),
    ...checkDuplicateTitles(tree, settings.title_similarity),
    ...checkPlaceholders(tree),
    ...checkMarkdown(tree),
    ...checkLanguage(tree),
  ];
  return {
    passed: problems.every((p) => p.severity !== 'error'),
    checked_at: now.toISOString(),
    problems: problems.slice(0, MAX_REPORTED_PROBLEMS),
    problems_total: problems.length,
  };
}
