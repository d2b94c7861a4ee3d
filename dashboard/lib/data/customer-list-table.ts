// The customer list's warehouse columns (region, segment, churn risk, value, …) of every customer in a
// snapshot, held in memory as typed arrays so a page of search results gets its rows by binary search
// instead of a DuckDB query.
//
// Why: under 20 concurrent searches, fetching 25 rows by id from DuckDB (parse, plan, index scan,
// result conversion) cost ~4.5 ms of the dashboard's ~7.5 ms of CPU per search; with this table a
// search costs ~3 ms (measured with a scratch load script, 1M customers). Memory: 84 bytes per
// customer (84 MB for a million): text columns are dictionary codes, numbers are Float64Arrays.
// No personal data: the columns are the warehouse's, which holds none (DESIGN.md).
import type { DuckDb, JsonValue } from '../../../warehouse/index.ts';

/** A customer's list columns, as `SELECT ${listColumns} FROM marts.customer_360` returns them. */
export interface CustomerListRow {
  [key: string]: JsonValue;
  customer_id: number;
  region: string | null;
  city: string | null;
  country: string | null;
  currency: string | null;
  tags: string[] | null;
  segment_id: number | null;
  segment_name_en: string | null;
  segment_name_zh: string | null;
  churn_risk: number | null;
  churn_band: string | null;
  monetary: number | null;
  frequency: number | null;
  last_order_at: string | null;
  expected_value_12m: number | null;
}

export const listColumns = `customer_id, region, city, country, currency, tags, segment_id, segment_name_en, segment_name_zh, churn_risk, churn_band,
  CAST(monetary AS DOUBLE) AS monetary, frequency, strftime(last_order_at, '%Y-%m-%d') AS last_order_at, expected_value_12m`;

const textColumns = ['region', 'city', 'country', 'currency', 'segment_name_en', 'segment_name_zh', 'churn_band', 'last_order_at'] as const;
const numberColumns = ['segment_id', 'churn_risk', 'monetary', 'frequency', 'expected_value_12m'] as const;
type TextColumn = (typeof textColumns)[number] | 'tags';
type NumberColumn = (typeof numberColumns)[number];

export class CustomerListTable {
  constructor(
    /** Customer ids, ascending. */
    private readonly ids: Float64Array,
    /** Per text column: index into its dictionary per customer, -1 for NULL. */
    private readonly codes: Record<TextColumn, Int32Array>,
    private readonly dictionaries: Record<TextColumn, JsonValue[]>,
    /** NaN for NULL. */
    private readonly numbers: Record<NumberColumn, Float64Array>,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** The rows of these customers; ids not in the snapshot are left out. */
  rows(ids: readonly number[]): Map<number, CustomerListRow> {
    const found = new Map<number, CustomerListRow>();
    for (const id of ids) {
      const at = this.indexOf(id);
      if (at >= 0) found.set(id, this.rowAt(at));
    }
    return found;
  }

  private indexOf(id: number): number {
    let low = 0;
    let high = this.ids.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.ids[mid]!;
      if (value === id) return mid;
      if (value < id) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  private rowAt(at: number): CustomerListRow {
    const text = (column: TextColumn): JsonValue => {
      const code = this.codes[column][at]!;
      return code < 0 ? null : this.dictionaries[column][code]!;
    };
    const number = (column: NumberColumn): number | null => {
      const value = this.numbers[column][at]!;
      return Number.isNaN(value) ? null : value;
    };
    const tags = text('tags');
    return {
      customer_id: this.ids[at]!,
      region: text('region') as string | null,
      city: text('city') as string | null,
      country: text('country') as string | null,
      currency: text('currency') as string | null,
      // A copy per row: the dictionary's array must not be changed through a row.
      tags: tags === null ? null : [...(tags as string[])],
      segment_id: number('segment_id'),
      segment_name_en: text('segment_name_en') as string | null,
      segment_name_zh: text('segment_name_zh') as string | null,
      churn_risk: number('churn_risk'),
      churn_band: text('churn_band') as string | null,
      monetary: number('monetary'),
      frequency: number('frequency'),
      last_order_at: text('last_order_at') as string | null,
      expected_value_12m: number('expected_value_12m'),
    };
  }
}

/**
 * Reads the table from a snapshot: 3.6–4.6 s for a million customers (two DuckDB threads / one), in
 * chunks (no million-element JS arrays). Text columns are coded by DuckDB against dictionaries ordered
 * the same way in both queries: converting DuckDB's strings to JS ones was as slow and not smaller.
 */
export async function loadCustomerListTable(db: DuckDb): Promise<CustomerListTable> {
  const base = `(SELECT ${listColumns}, to_json(tags)::VARCHAR AS tags_json FROM marts.customer_360)`;
  const source = (column: TextColumn) => (column === 'tags' ? 'tags_json' : column);
  const allText: TextColumn[] = [...textColumns, 'tags'];
  const dictionaries = {} as Record<TextColumn, JsonValue[]>;
  for (const column of allText) {
    const values = await db.all<{ v: string }>(`SELECT DISTINCT ${source(column)} AS v FROM ${base} WHERE v IS NOT NULL ORDER BY v`);
    dictionaries[column] = values.map((r) => (column === 'tags' ? (JSON.parse(r.v) as string[]) : r.v));
  }
  const dictionary = (column: TextColumn) =>
    `(SELECT v, row_number() OVER (ORDER BY v) - 1 AS code FROM (SELECT DISTINCT ${source(column)} AS v FROM ${base} WHERE v IS NOT NULL)) AS d_${column}`;
  const { columns } = await db.numericColumns(
    `SELECT b.customer_id, ${allText.map((c) => `d_${c}.code AS ${c}`).join(', ')}, ${numberColumns.map((c) => `b.${c}`).join(', ')}
     FROM ${base} AS b ${allText.map((c) => `LEFT JOIN ${dictionary(c)} ON d_${c}.v = b.${source(c)}`).join(' ')}
     ORDER BY b.customer_id`,
  );
  const codes = {} as Record<TextColumn, Int32Array>;
  for (const column of allText) codes[column] = Int32Array.from(columns[column]!, (code) => (Number.isNaN(code) ? -1 : code));
  const numbers = {} as Record<NumberColumn, Float64Array>;
  for (const column of numberColumns) numbers[column] = columns[column]!;
  return new CustomerListTable(columns.customer_id!, codes, dictionaries, numbers);
}
