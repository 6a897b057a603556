import type { EntityManager } from 'typeorm';
import type { VersionCause, VersionKind, VersionSnapshot, VersionSummary } from '../../../../contracts/api';
import type { ReplacedBy } from './course-versions.service';
import { normalizeSnapshot } from './content-parts';
import { versionLabel } from './version-rules';

type Queryable = Pick<EntityManager, 'query'>;

interface VersionRow {
  id: string;
  course_id: string;
  item_id: string;
  kind: VersionKind;
  cause: VersionCause;
  created_at: Date;
  job_id: string | null;
  model: string | null;
  prompt_id: string | null;
  user_id: string | null;
  user_name: string | null;
  restored_version_id: string | null;
  label: string;
}

export interface StoredVersion extends VersionSummary {
  snapshot: VersionSnapshot;
}

const SUMMARY_COLUMNS =
  'v.id, v.course_id, v.item_id, v.kind, v.cause, v.created_at, v.job_id, v.model, v.prompt_id, v.user_id, ' +
  'v.user_name, v.restored_version_id, v.label';

const toSummary = (r: VersionRow): VersionSummary => ({
  id: r.id,
  course_id: r.course_id,
  item_id: r.item_id,
  kind: r.kind,
  cause: r.cause,
  created_at: new Date(r.created_at).toISOString(),
  job_id: r.job_id,
  model: r.model,
  prompt_id: r.prompt_id,
  user_id: r.user_id,
  user_name: r.user_name,
  restored_version_id: r.restored_version_id,
  label: r.label,
});

/** Records `snapshot` (what the item held until now) as a version of the course; returns its id. */
export async function insertVersion(
  q: Queryable,
  courseId: string,
  itemId: string,
  snapshot: VersionSnapshot,
  by: ReplacedBy,
): Promise<string> {
  const [row] = await q.query<{ id: string }[]>(
    `INSERT INTO content_versions (organization_id, course_id, item_id, kind, cause, snapshot, label, job_id, model,
                                   prompt_id, user_id, user_name, restored_version_id)
     SELECT c.organization_id, c.id, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12
       FROM courses c WHERE c.id = $1
     RETURNING id`,
    [
      courseId,
      itemId,
      snapshot.kind,
      by.cause,
      JSON.stringify(snapshot),
      versionLabel(snapshot),
      by.cause === 'regenerated' ? by.job_id : null,
      by.cause === 'regenerated' ? by.model : null,
      by.cause === 'regenerated' ? by.prompt_id : null,
      by.cause === 'regenerated' ? null : by.user_id,
      by.cause === 'regenerated' ? null : by.user_name,
      by.cause === 'restored' ? by.restored_version_id : null,
    ],
  );
  return row.id;
}

/** The course's versions (of one item, or all), newest first; the caller has checked the course's organization. */
export async function listVersions(
  q: Queryable,
  courseId: string,
  itemId: string | undefined,
): Promise<VersionSummary[]> {
  const order = 'ORDER BY v.created_at DESC, v.id DESC';
  const rows = await (itemId
    ? q.query<VersionRow[]>(
        `SELECT ${SUMMARY_COLUMNS} FROM content_versions v WHERE v.course_id = $1 AND v.item_id = $2 ${order}`,
        [courseId, itemId],
      )
    : q.query<VersionRow[]>(
        `SELECT ${SUMMARY_COLUMNS} FROM content_versions v WHERE v.course_id = $1 ${order}`,
        [courseId],
      ));
  return rows.map(toSummary);
}

/** One version of the course, within the organization; null when there is none. */
export async function findVersion(
  q: Queryable,
  organizationId: string,
  courseId: string,
  versionId: string,
): Promise<StoredVersion | null> {
  const [row] = await q.query<(VersionRow & { snapshot: VersionSnapshot })[]>(
    `SELECT ${SUMMARY_COLUMNS}, v.snapshot FROM content_versions v
      WHERE v.id = $1 AND v.course_id = $2 AND v.organization_id = $3`,
    [versionId, courseId, organizationId],
  );
  return row ? { ...toSummary(row), snapshot: normalizeSnapshot(row.snapshot) } : null;
}
