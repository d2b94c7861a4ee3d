// Personal data (name, e-mail, phone, company, address) lives only in the operational PostgreSQL
// (pulse_app.customers); the warehouse keys on customer ids (DESIGN.md). This module fetches it for
// the rows a page shows, masks it unless the role may see it unmasked, and runs the customer search.
// Every statement is a small function returning text plus values (CONVENTIONS 2).
import 'server-only';
import { maskEmail, maskPhone } from '../../../lib/auth-roles.ts';
import { getServerContext } from '../server/context.ts';

export interface Person {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  address: string | null;
  createdAt: string | null;
}

/** The most ids one search hands on to the warehouse filters or sort; more matches ask the user to narrow down. */
export const SEARCH_CAP = 2000;
/**
 * A plain search (no warehouse filter or sort) shows matches in relevance order straight from
 * PostgreSQL, so it reads only this many: eight pages, more than anyone pages through, and every
 * one of them a heap row PostgreSQL must visit.
 */
export const PLAIN_SEARCH_CAP = 200;

interface Sql {
  text: string;
  values: unknown[];
}

export function selectPeopleByIds(ids: readonly number[]): Sql {
  return {
    text: `SELECT id, name, email, phone, company, address, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS created_at
           FROM pulse_app.customers WHERE id = ANY($1::bigint[]) AND deleted_at IS NULL`,
    values: [ids],
  };
}

/** `%`, `_` and `\` in what the user typed match themselves, not any character. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Customers whose name, e-mail, company or phone contains `query`, at most `limit`, best first (exact
 * name, then names starting with it, then by id). The caller guarantees 2 ≤ length ≤ 100.
 */
export function searchPeopleIds(query: string, limit: number): Sql {
  const { from, where, order, values } = searchCondition(query);
  values.push(limit);
  return {
    // Ranked after the LIMIT: ordering every match first would read all of them (an e-mail domain
    // matches hundreds of thousands); past the cap the page asks the user to narrow the search anyway.
    text: `SELECT id FROM (
             SELECT id, name FROM ${from} WHERE ${where} ${order} LIMIT $${values.length}
           ) m
           ORDER BY ${relevanceOrder}`,
    values,
  };
}

/**
 * A plain search's page in one statement: at most `limit` matches ranked as in searchPeopleIds, the
 * rows ranked (offset, offset + pageSize] with their personal fields, and on every row the number of
 * matches. The best match comes back too whatever the page (marked by its rank), so the count is
 * known even past the last page. One round trip instead of two (ids, then the page's people).
 */
export function searchPeoplePageSql(query: string, limit: number, offset: number, pageSize: number): Sql {
  const { from, where, order, values } = searchCondition(query);
  values.push(limit, offset, pageSize);
  const n = values.length;
  return {
    text: `SELECT rank, matches, id, name, email, phone, company, address, created_at FROM (
             SELECT m.*, row_number() OVER (ORDER BY ${relevanceOrder}) AS rank, count(*) OVER () AS matches FROM (
               SELECT id, name, email, phone, company, address, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS created_at
               FROM ${from} WHERE ${where} ${order} LIMIT $${n - 2}
             ) m
           ) r
           WHERE rank = 1 OR (rank > $${n - 1} AND rank <= $${n - 1} + $${n})
           ORDER BY rank`,
    values,
  };
}

/** Best first: the exact name, then names starting with the query, then by id ($1 and $2 of searchCondition). */
const relevanceOrder = '(lower(name) = $1) DESC, (lower(name) LIKE $2) DESC, id';

/**
 * The FROM, WHERE and ORDER BY of a search for `query` (values $1 = the query lower-cased, $2 = its prefix pattern).
 * A two-character query (two characters of a Chinese name) reads the table of the names' character
 * pairs (ingest/demo-schema/006) in customer-id order, so it stops at the LIMIT; longer ones use the
 * trigram index on the stored search key of all four fields (ingest/demo-schema/005), after
 * PostgreSQL strips spaces and punctuation from the query exactly as from the key (pulse_app.search_key).
 * Fewer than three letters or digits left ('a.b') find nothing: the index has no trigram to look up,
 * and reading all of it would take seconds.
 */
function searchCondition(query: string): { from: string; where: string; order: string; values: unknown[] } {
  const q = query.toLowerCase();
  if ([...q].length === 2) {
    return {
      from: 'pulse_app.customer_name_pairs p JOIN pulse_app.customers ON id = p.customer_id',
      where: 'p.pair = $3 AND deleted_at IS NULL',
      order: 'ORDER BY p.customer_id',
      values: [q, `${escapeLike(q)}%`, q],
    };
  }
  // search_key drops % _ and \ with the other punctuation, so the pattern holds no wildcard of the user's.
  return {
    from: 'pulse_app.customers',
    order: '',
    where: `deleted_at IS NULL AND char_length(pulse_app.search_key($3)) >= 3 AND search_text LIKE '%' || pulse_app.search_key($3) || '%'`,
    values: [q, `${escapeLike(q)}%`, q],
  };
}

/** A Person as PostgreSQL returns it. */
type PersonRow = Omit<Person, 'createdAt'> & { created_at: string | null };

function toPerson(row: PersonRow, unmasked: boolean): Person {
  return {
    id: Number(row.id),
    name: row.name,
    email: unmasked ? row.email : maskEmail(row.email),
    phone: unmasked ? row.phone : maskPhone(row.phone),
    company: row.company,
    address: unmasked ? row.address : row.address ? '•••' : null,
    createdAt: row.created_at,
  };
}

/** Name, e-mail, phone, company and address of these customers; e-mail, phone and address masked unless `unmasked`. */
export async function getPeople(ids: readonly number[], options: { unmasked: boolean }): Promise<Map<number, Person>> {
  const people = new Map<number, Person>();
  if (ids.length === 0) return people;
  const { sourcePool } = await getServerContext();
  const { text, values } = selectPeopleByIds(ids);
  // Named (prepared): every list page runs it; PostgreSQL plans it once per connection.
  const { rows } = await sourcePool.query<PersonRow>({ name: 'pulse-people-by-ids', text, values });
  for (const row of rows) people.set(Number(row.id), toPerson(row, options.unmasked));
  return people;
}

/** Personal fields an export may carry. */
export const exportPersonFields = ['name', 'email', 'phone', 'company'] as const;
export type ExportPersonField = (typeof exportPersonFields)[number];

/**
 * Chosen personal fields of the customers with these ids, or of every customer with an id in
 * (fromId, toId]. Rows come back as arrays [id, ...fields]: an export of 500,000 customers makes no
 * row objects.
 */
export function selectPeopleForExport(fields: readonly ExportPersonField[], which: { ids: readonly number[] } | { fromId: number; toId: number }): Sql {
  const columns = fields.map((f) => ({ name: 'name', email: 'email', phone: 'phone', company: 'company' })[f]).join(', ');
  const select = `SELECT id${columns ? `, ${columns}` : ''} FROM pulse_app.customers WHERE deleted_at IS NULL AND `;
  // The ids go as one array literal: node-pg serialising 20,000 numbers one by one cost a quarter more.
  if ('ids' in which) return { text: `${select}id = ANY($1::bigint[])`, values: [`{${which.ids.map((id) => (Number.isSafeInteger(id) ? id : 'NULL')).join(',')}}`] };
  return { text: `${select}id > $1 AND id <= $2`, values: [which.fromId, which.toId] };
}

/** Personal fields by customer id, e-mail and phone masked unless `unmasked`. */
export async function getPeopleForExport(fields: readonly ExportPersonField[], which: { ids: readonly number[] } | { fromId: number; toId: number }, options: { unmasked: boolean }): Promise<Map<number, (string | null)[]>> {
  const people = new Map<number, (string | null)[]>();
  if ('ids' in which && which.ids.length === 0) return people;
  const { sourcePool } = await getServerContext();
  const { text, values } = selectPeopleForExport(fields, which);
  const { rows } = await sourcePool.query<(string | number | null)[]>({ text, values, rowMode: 'array' });
  const maskAt = options.unmasked ? [] : fields.flatMap((f, i) => (f === 'email' ? [[i, maskEmail] as const] : f === 'phone' ? [[i, maskPhone] as const] : []));
  for (const row of rows) {
    const person = row.slice(1) as (string | null)[];
    for (const [i, mask] of maskAt) person[i] = mask(person[i]);
    people.set(Number(row[0]), person);
  }
  return people;
}

/** Ids of customers matching the search, best first, at most `cap`; `capped` when there were more. */
export async function searchPeople(query: string, cap: number): Promise<{ ids: number[]; capped: boolean }> {
  const { sourcePool } = await getServerContext();
  const { text, values } = searchPeopleIds(query, cap + 1);
  const { rows } = await sourcePool.query<{ id: number }>(text, values);
  const ids = rows.map((r) => Number(r.id));
  return { ids: ids.slice(0, cap), capped: ids.length > cap };
}

/**
 * One page of a plain search: the page's ids in relevance order with their personal data, how many
 * matched (at most `cap`) and whether there were more.
 */
export async function searchPeoplePage(query: string, cap: number, offset: number, pageSize: number, options: { unmasked: boolean }): Promise<{ ids: number[]; people: Map<number, Person>; total: number; capped: boolean }> {
  const { sourcePool } = await getServerContext();
  const { text, values } = searchPeoplePageSql(query, cap + 1, offset, pageSize);
  const { rows } = await sourcePool.query<PersonRow & { rank: string; matches: string }>(text, values);
  const matches = rows.length > 0 ? Number(rows[0]!.matches) : 0;
  const page = rows.filter((r) => Number(r.rank) > offset && Number(r.rank) <= Math.min(offset + pageSize, cap));
  return {
    ids: page.map((r) => Number(r.id)),
    people: new Map(page.map((r) => [Number(r.id), toPerson(r, options.unmasked)])),
    total: Math.min(matches, cap),
    capped: matches > cap,
  };
}
