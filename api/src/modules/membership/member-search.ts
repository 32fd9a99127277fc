import type { EntityManager } from '@mikro-orm/postgresql';
import { columnsOf, query, toRead, type Read } from '../../db/read.js';
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
  withUser: (user: Read<User>) => void,
): Promise<Connection<Read<Membership>>> {
  const limit = pageSize(page.first);
  const from = page.after ? decodeCursor(page.after, MEMBER_CURSOR) : null;
  // A null role matches every role: the texts stay fixed (prepared once) whichever filters a page uses.
  const filter = `m.group_id = $1 and m.status = $2 and u.name ilike $3 and ($4::text is null or m.role = $4)`;
  const values: unknown[] = [where.group, where.status, likePattern(search), where.role ?? null];
  const m = columnsOf(em, Membership, 'm');
  const u = columnsOf(em, User, 'u', 'u__');
  const rows =
    limit === 0
      ? []
      : await query(em, {
          text: `select ${m.columns}, ${u.columns} from memberships m join users u on u.id = m.user_id
                 where ${filter} and ($5::timestamptz is null or (m.created_at, m.id) > ($5, $6::uuid)) order by m.created_at, m.id limit $7`,
          values: [...values, ...(from ?? [null, null]), limit + 1],
        });
  const members = rows.map((row) => {
    withUser(toRead(em, User, row, 'u__'));
    return toRead(em, Membership, row);
  });
  return toConnection(members, limit, (x) => [x.createdAt, x.id], async () => {
    const [row] = await query(em, { text: `select count(*)::int as n from memberships m join users u on u.id = m.user_id where ${filter}`, values });
    return Number(row.n);
  });
}
