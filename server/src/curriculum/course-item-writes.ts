import type { EntityManager } from 'typeorm';
import { InvalidInputError } from '../common/domain-error';

export type Item = 'project' | 'lesson' | 'task';

/** Where each item lives: its table, its parent column, its (deferrable) position constraint, its text columns. */
export const ITEMS: Record<
  Item,
  { table: string; parent: string; positionKey: string; columns: readonly string[] }
> = {
  project: {
    table: 'course_projects',
    parent: 'course_id',
    positionKey: 'course_projects_course_position_key',
    columns: ['title', 'description', 'objectives'],
  },
  lesson: {
    table: 'lessons',
    parent: 'project_id',
    positionKey: 'lessons_project_position_key',
    columns: ['title', 'summary', 'content', 'estimated_minutes'],
  },
  task: {
    table: 'tasks',
    parent: 'lesson_id',
    positionKey: 'tasks_lesson_position_key',
    columns: ['title', 'instructions', 'kind', 'estimated_minutes'],
  },
};

/** `SET a = $2, b = $3` for the fields present in `patch` (column names come from the lists above, never input). */
export function setClause(
  patch: object,
  columns: readonly string[],
  firstParam: number,
): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const column of columns) {
    const value = (patch as Record<string, unknown>)[column];
    if (value === undefined) continue;
    params.push(column === 'objectives' ? JSON.stringify(value) : value);
    parts.push(`${column} = $${firstParam + params.length - 1}`);
  }
  return { sql: parts.join(', '), params };
}

/** New values of some of the item's columns (see ITEMS), and its new position. */
export type ItemPatch = object & { position?: number };

/**
 * Writes the patch's columns and moves the item to `patch.position` among its siblings. Out of range: 400, or with
 * `clampPosition` (a restored version whose siblings have changed since) the last position. Call it under the
 * course's lock.
 */
export async function applyItemPatch(
  manager: EntityManager,
  item: Item,
  id: string,
  patch: ItemPatch,
  options: { clampPosition?: boolean } = {},
): Promise<void> {
  const spec = ITEMS[item];
  const { sql, params } = setClause(patch, spec.columns, 2);
  if (sql) await manager.query(`UPDATE ${spec.table} SET ${sql} WHERE id = $1`, [id, ...params]);
  if (patch.position !== undefined) await move(manager, item, id, patch.position, options.clampPosition);
}

/** Moves an item to `to` among its siblings, shifting those in between (positions stay 0..n-1). */
async function move(
  manager: EntityManager,
  item: Item,
  id: string,
  wanted: number,
  clamp = false,
): Promise<void> {
  const { table, parent, positionKey } = ITEMS[item];
  const [row] = await manager.query<{ parent_id: string; position: number; siblings: number }[]>(
    `SELECT t.${parent} AS parent_id, t.position,
            (SELECT count(*)::int FROM ${table} s WHERE s.${parent} = t.${parent}) AS siblings
       FROM ${table} t WHERE t.id = $1`,
    [id],
  );
  let to = wanted;
  if (to > row.siblings - 1) {
    if (!clamp) {
      throw new InvalidInputError(`position must be between 0 and ${row.siblings - 1}`, {
        field: 'position',
      });
    }
    to = row.siblings - 1;
  }
  const from = row.position;
  if (to === from) return;
  await manager.query(`SET CONSTRAINTS ${positionKey} DEFERRED`);
  if (to < from) {
    await manager.query(
      `UPDATE ${table} SET position = position + 1 WHERE ${parent} = $1 AND position >= $2 AND position < $3`,
      [row.parent_id, to, from],
    );
  } else {
    await manager.query(
      `UPDATE ${table} SET position = position - 1 WHERE ${parent} = $1 AND position > $2 AND position <= $3`,
      [row.parent_id, from, to],
    );
  }
  await manager.query(`UPDATE ${table} SET position = $2 WHERE id = $1`, [id, to]);
}
