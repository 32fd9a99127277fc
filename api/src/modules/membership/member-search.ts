import type { EntityManager } from '@mikro-orm/postgresql';
import { leanColumns, leanEntity, leanRead } from '../../shared/lean.js';
import { decodeCursor, pageSize, toConnection, type Connection, type CursorSlot } from '../../shared/pagination.js';
import { User } from '../user/user.entity.js';
import { Membership } from './membership.entity.js';

/** A member cursor: when the membership began, then its id (as Group.members without a search). */
const MEMBER_CURSOR: readonly CursorSlot[] = [{ kind: 'date' }, { kind: 'id' }];

/** `%` and `_` typed by a person are letters, not wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A group's memberships whose person's name contains `search` (any case), oldest first, keyset-paged like
 * Group.members without a search (docs/ARCHITECTURE.md, pagination); the user is read along.
 */
export async function searchMembers(
  em: EntityManager,
  where: { group: string; status: string; role?: string | null },
  search: string,
  page: { first?: number | null; after?: string | null },
): Promise<Connection<Membership>> {
  const limit = pageSize(page.first);
  const from = page.after ? decodeCursor(page.after, MEMBER_CURSOR) : null;
  const filter = ['m.group_id = ?', 'm.status = ?', 'u.name ilike ?', ...(where.role ? ['m.role = ?'] : [])].join(' and ');
  const params: unknown[] = [where.group, where.status, likePattern(search), ...(where.role ? [where.role] : [])];
  const m = leanColumns(em, Membership, 'm');
  const u = leanColumns(em, User, 'u', 'u__');
  const rows =
    limit === 0
      ? []
      : await leanRead(
          em,
          `select ${m.columns}, ${u.columns} from memberships m join users u on u.id = m.user_id
           where ${filter}${from ? ' and (m.created_at, m.id) > (?, ?)' : ''} order by m.created_at, m.id limit ?`,
          [...params, ...(from ?? []), limit + 1],
        );
  const members = rows.map((row) => {
    const membership = leanEntity(em, Membership, row) as Membership;
    (membership as { user: User }).user = leanEntity(em, User, row, 'u__');
    return membership;
  });
  return toConnection(members, limit, (x) => [x.createdAt, x.id], async () => {
    const [row] = await leanRead(em, `select count(*)::int as n from memberships m join users u on u.id = m.user_id where ${filter}`, params);
    return Number(row.n);
  });
}
