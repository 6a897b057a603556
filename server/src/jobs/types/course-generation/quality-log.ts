import type { JobLogEntry, QualityCheck, QualityProblem, QualityReport } from '../../../../../contracts/api';
import { CHECK_NAMES, heldNotice } from '../../../curriculum/quality/quality-gate.service';
import { info, plural, success, warning } from '../../engine/job-log';

/** Problems named in one log line; the rest are on the course page. */
const NAMED_PER_LINE = 3;

const describe = (p: QualityProblem): string =>
  p.item_title ? `"${p.item_title}": ${p.message}` : p.message;

/**
 * The quality gate's lines in the job log (docs/generation.md, "Quality gate"): one line when it passed; when it
 * failed, a warning per kind of problem found and one summary line.
 */
export function qualityGateLogs(report: QualityReport): JobLogEntry[] {
  const warnings = report.problems.filter((p) => p.severity === 'warning').length;
  if (report.passed) {
    return [success(`Quality gate passed${warnings ? ` (${plural(warnings, 'warning')})` : ''}`)];
  }
  const byCheck = new Map<QualityCheck, QualityProblem[]>();
  for (const p of report.problems) {
    if (p.severity === 'error') byCheck.set(p.check, [...(byCheck.get(p.check) ?? []), p]);
  }
  const lines = [...byCheck].map(([check, problems]) => {
    const named = problems.slice(0, NAMED_PER_LINE).map(describe).join('; ');
    const more = problems.length > NAMED_PER_LINE ? `; and ${problems.length - NAMED_PER_LINE} more` : '';
    return warning(`Quality gate — ${CHECK_NAMES[check]} (${problems.length}): ${named}${more}`, {
      check,
      problems: problems.length,
    });
  });
  return [
    ...lines,
    warning(heldNotice(report), { problems_total: report.problems_total }),
    info('Course ready for review'),
  ];
}
