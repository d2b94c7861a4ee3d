// The DuckDB statements of rule-built segments, as pure functions returning text plus values
// (CONVENTIONS 2). A segment is a condition over marts.customer_360: either compiled from rules
// (segment-rules.ts) or "is one of these frozen customers" (a temp table of ids). Every statement
// takes that condition, so counting, profiling, paging, exporting and comparing treat both alike.
import type { BoundValue } from '../duckdb.ts';
import type { CompiledCondition } from './segment-rules.ts';

export interface SqlStatement {
  text: string;
  values: BoundValue[];
}

/** Columns of customer_360 a member page or an export may read: the rule fields and the segment's names. */
export const memberColumns = [
  'customer_id',
  'country',
  'region',
  'city',
  'preferred_language',
  'currency',
  'tags',
  'segment_id',
  'segment_name_en',
  'segment_name_zh',
  'rfm_segment',
  'churn_risk',
  'churn_band',
  'p_alive',
  'expected_value_12m',
  'frequency',
  'monetary',
  'average_order_value',
  'orders_last_90d',
  'revenue_last_90d',
  'first_order_at',
  'last_order_at',
  'recency_days',
  'tenure_days',
  'last_campaign_open_at',
  'last_campaign_click_at',
  'campaign_opens_90d',
  'campaign_clicks_90d',
  'interactions_90d',
  'open_tickets',
] as const;
export type MemberColumn = (typeof memberColumns)[number];

const memberColumnSet = new Set<string>(memberColumns);

/** Means compared between segments (the Compare page's profile). */
export const profileMeasures = ['frequency', 'monetary', 'average_order_value', 'recency_days', 'tenure_days', 'churn_risk', 'p_alive', 'expected_value_12m', 'campaign_opens_90d', 'interactions_90d'] as const;
export type ProfileMeasure = (typeof profileMeasures)[number];

function column(name: string): string {
  if (!memberColumnSet.has(name)) throw new Error(`Not a member column: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

export type MemberColumnKind = 'number' | 'text' | 'timestamp';

/** How a member column is read: text (including the tags, joined with "; "), a timestamp, or a number. */
export function memberColumnKind(name: MemberColumn): MemberColumnKind {
  if (name.endsWith('_at')) return 'timestamp';
  return textColumns.has(name) ? 'text' : 'number';
}

const textColumns = new Set<string>(['country', 'region', 'city', 'preferred_language', 'currency', 'tags', 'segment_name_en', 'segment_name_zh', 'rfm_segment', 'churn_band']);

/** The value of a column as read: money as DOUBLE, tags as text, timestamps as epoch milliseconds. */
function valueSql(name: MemberColumn, alias = ''): string {
  const c = `${alias}${column(name)}`;
  if (name === 'tags') return `array_to_string(${c}, '; ')`;
  // Epoch milliseconds, not formatted text: formatting a TIMESTAMPTZ in SQL goes through the ICU
  // calendar and cost 5 s per million rows; JavaScript formats the number in a fraction of that.
  if (memberColumnKind(name) === 'timestamp') return `CAST(epoch_ms(${c}) AS DOUBLE)`;
  if (name === 'monetary' || name === 'average_order_value' || name === 'revenue_last_90d') return `CAST(${c} AS DOUBLE)`;
  return c;
}

function selectColumn(name: MemberColumn): string {
  return `${valueSql(name)} AS ${column(name)}`;
}

/** The live count: members and their revenue (one filtered scan; the totals are asked for once per snapshot). */
export function selectSegmentCount(where: CompiledCondition): SqlStatement {
  return {
    text: `SELECT count(*) AS customers, coalesce(sum(CAST(monetary AS DOUBLE)), 0) AS revenue FROM marts.customer_360 WHERE ${where.where}`,
    values: [...where.values],
  };
}

export function selectCustomerTotals(): SqlStatement {
  return { text: 'SELECT count(*) AS customers, coalesce(sum(CAST(monetary AS DOUBLE)), 0) AS revenue FROM marts.customer_360', values: [] };
}

/** Size, revenue, expected value and the mean of each profile measure of one segment. */
export function selectSegmentProfile(where: CompiledCondition): SqlStatement {
  const means = profileMeasures.map((m) => `avg(CAST(${column(m)} AS DOUBLE)) AS ${column(m)}`).join(', ');
  return {
    text: `SELECT count(*) AS customers,
                  coalesce(sum(CAST(monetary AS DOUBLE)), 0) AS revenue,
                  coalesce(sum(expected_value_12m), 0) AS expected_value,
                  count(*) FILTER (WHERE churn_band = 'high') AS high_risk,
                  ${means}
           FROM marts.customer_360 WHERE ${where.where}`,
    values: [...where.values],
  };
}

/** How many customers are in both segments, in either, and in each. */
export function selectOverlap(a: CompiledCondition, b: CompiledCondition): SqlStatement {
  return {
    text: `SELECT count(*) FILTER (WHERE (${a.where}) AND (${b.where})) AS both_segments,
                  count(*) FILTER (WHERE (${a.where}) OR (${b.where})) AS either_segment
           FROM marts.customer_360`,
    values: [...a.values, ...b.values, ...a.values, ...b.values],
  };
}

/** The most common values of a choice column within a segment (regions of the compare page). */
export function selectTopValues(where: CompiledCondition, name: MemberColumn, limit: number): SqlStatement {
  const c = column(name);
  return {
    text: `SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS customers FROM marts.customer_360 WHERE ${where.where}
           GROUP BY ALL ORDER BY customers DESC, value NULLS LAST LIMIT ?`,
    values: [...where.values, limit],
  };
}

/** Every member id, in order (freezing a static segment). */
export function selectMemberIds(where: CompiledCondition): SqlStatement {
  return { text: `SELECT customer_id FROM marts.customer_360 WHERE ${where.where} ORDER BY customer_id`, values: [...where.values] };
}

/**
 * A page of members after a customer id (keyset paging: stable within one snapshot, and as fast on
 * the last page as on the first).
 */
export function selectMembersAfter(where: CompiledCondition, columns: readonly MemberColumn[], afterId: number, limit: number): SqlStatement {
  return {
    text: `SELECT ${withId(columns).map(selectColumn).join(', ')} FROM marts.customer_360
           WHERE customer_id > ? AND (${where.where}) ORDER BY customer_id LIMIT ?`,
    values: [afterId, ...where.values, limit],
  };
}

/**
 * A text column's distinct values, numbered from 1, in a temp table: an export reads the numbers and
 * looks the text up once per value. (Reading the text itself cost ~2 s per million values in the
 * Node binding; a number costs a tenth of that.)
 */
export function createDictionary(table: string, name: MemberColumn): SqlStatement {
  const value = valueSql(name);
  return {
    text: `CREATE TEMP TABLE ${dictName(table)} AS
           SELECT v, CAST(row_number() OVER (ORDER BY v) AS DOUBLE) AS k FROM (SELECT DISTINCT ${value} AS v FROM marts.customer_360 WHERE ${value} IS NOT NULL)`,
    values: [],
  };
}

export function selectDictionary(table: string): SqlStatement {
  return { text: `SELECT v AS value FROM temp.main.${dictName(table)} ORDER BY k`, values: [] };
}

export function dropDictionary(table: string): SqlStatement {
  return { text: `DROP TABLE IF EXISTS temp.main.${dictName(table)}`, values: [] };
}

/**
 * Members whose id is in (fromId, toId], as numbers only: numbers, epoch milliseconds, and for text
 * columns their number in `dictionaries` (column → temp table). Export batches walk the ids in ranges,
 * so no batch sorts the whole table.
 */
export function selectMemberColumnsInRange(where: CompiledCondition, columns: readonly MemberColumn[], dictionaries: ReadonlyMap<MemberColumn, string>, fromId: number, toId: number): SqlStatement {
  const joins: string[] = [];
  const selected = columns.map((name, i) => {
    const dictionary = dictionaries.get(name);
    if (memberColumnKind(name) !== 'text') return `${valueSql(name, 'c.')} AS ${column(name)}`;
    if (!dictionary) throw new Error(`No dictionary for the text column ${name}`);
    joins.push(`LEFT JOIN temp.main.${dictName(dictionary)} d${i} ON d${i}.v = ${valueSql(name, 'c.')}`);
    return `d${i}.k AS ${column(name)}`;
  });
  return {
    text: `SELECT CAST(c.customer_id AS DOUBLE) AS customer_id${selected.length > 0 ? `, ${selected.join(', ')}` : ''}
           FROM marts.customer_360 c ${joins.join(' ')}
           WHERE c.customer_id > ? AND c.customer_id <= ? AND (${where.where}) ORDER BY c.customer_id`,
    values: [fromId, toId, ...where.values],
  };
}

/**
 * Customer ids that cut the table into `parts` ranges of about equal size (the export's batch
 * bounds). Quantiles rather than fixed id steps, so sparse ids (a source with ids up to 10^9) still
 * give a few even batches.
 */
export function selectIdCuts(parts: number): SqlStatement {
  if (!Number.isInteger(parts) || parts < 1 || parts > 100_000) throw new Error(`parts must be a whole number from 1 to 100000, got ${parts}`);
  const fractions = Array.from({ length: parts }, (_, i) => ((i + 1) / parts).toFixed(8)).join(', ');
  return { text: `SELECT quantile_disc(customer_id, [${fractions}]) AS cuts FROM marts.customer_360`, values: [] };
}

export function selectCustomerTotal(): SqlStatement {
  return { text: 'SELECT count(*) AS n, coalesce(min(customer_id), 0) AS min_id FROM marts.customer_360', values: [] };
}

/** The columns customer_360 has in this snapshot (older snapshots lack newer columns). */
export function selectCustomer360Columns(): SqlStatement {
  return {
    text: "SELECT column_name AS name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'marts' AND table_name = 'customer_360'",
    values: [],
  };
}

/** Distinct values of a choice column with their customer counts, most common first (the pickers). */
export function selectChoiceOptions(name: MemberColumn, limit: number): SqlStatement {
  const c = column(name);
  return {
    text: `SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS customers FROM marts.customer_360
           WHERE ${c} IS NOT NULL AND CAST(${c} AS VARCHAR) <> '' GROUP BY ALL ORDER BY customers DESC, value LIMIT ?`,
    values: [limit],
  };
}

export function selectTagOptions(limit: number): SqlStatement {
  return {
    text: `SELECT tag AS value, count(*) AS customers FROM (SELECT unnest(tags) AS tag FROM marts.customer_360)
           WHERE tag IS NOT NULL AND tag <> '' GROUP BY ALL ORDER BY customers DESC, value LIMIT ?`,
    values: [limit],
  };
}

export function selectModelSegments(): SqlStatement {
  return {
    text: `SELECT segment_id AS id, name_en AS en, name_zh AS zh, customers FROM models.segments ORDER BY segment_id`,
    values: [],
  };
}

export function selectHasModelSegments(): SqlStatement {
  return {
    text: "SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'models' AND table_name = 'segments'",
    values: [],
  };
}

/** A temp table of frozen member ids (a static segment), filled from comma-separated text chunks. */
export function createMemberTable(table: string): SqlStatement {
  return { text: `CREATE TEMP TABLE ${tempName(table)} (customer_id BIGINT)`, values: [] };
}

export function insertMemberIds(table: string, commaSeparatedIds: string): SqlStatement {
  return {
    text: `INSERT INTO temp.main.${tempName(table)} SELECT CAST(unnest(string_split(?, ',')) AS BIGINT)`,
    values: [commaSeparatedIds],
  };
}

export function dropMemberTable(table: string): SqlStatement {
  return { text: `DROP TABLE IF EXISTS temp.main.${tempName(table)}`, values: [] };
}

/** The condition "is one of the frozen members in this temp table". */
export function memberTableCondition(table: string): CompiledCondition {
  return { where: `customer_id IN (SELECT customer_id FROM temp.main.${tempName(table)})`, values: [] };
}

function dictName(table: string): string {
  if (!/^segment_dict_[a-z0-9_]+$/.test(table)) throw new Error(`Not a dictionary table name: ${JSON.stringify(table)}`);
  return `"${table}"`;
}

function tempName(table: string): string {
  if (!/^segment_members_[a-z0-9]+$/.test(table)) throw new Error(`Not a member table name: ${JSON.stringify(table)}`);
  return `"${table}"`;
}

function withId(columns: readonly MemberColumn[]): MemberColumn[] {
  return columns.includes('customer_id') ? [...columns] : ['customer_id', ...columns];
}
