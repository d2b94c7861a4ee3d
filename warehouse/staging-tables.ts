// What Pulse's warehouse stages from any source: one table per operational concept, with Pulse's own
// field names and DuckDB types. A source mapping (ingest/mappings/*.json) says where each field comes
// from. Personal fields (names, e-mails, phones, addresses of people) are deliberately absent: they stay
// in the source database (DESIGN.md), so no snapshot file can leak them.

export type FieldType = 'BIGINT' | 'INTEGER' | 'VARCHAR' | 'BOOLEAN' | 'DATE' | 'TIMESTAMPTZ' | 'DECIMAL(12,2)' | 'DECIMAL(14,2)' | 'DECIMAL(18,8)' | 'JSON_LIST';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
}

export interface StagingTableSpec {
  name: string;
  /** Fields besides the standard `id` (key), `updated_at` (change tracking) and `deleted_at` (soft delete). */
  fields: FieldSpec[];
  /** Tables every mapping must provide; others may be left out and stay empty. */
  required: boolean;
}

const f = (name: string, type: FieldType, required = false): FieldSpec => ({ name, type, required });

export const stagingTables: StagingTableSpec[] = [
  {
    name: 'staff_users',
    required: false,
    fields: [f('department', 'VARCHAR'), f('region', 'VARCHAR'), f('created_at', 'TIMESTAMPTZ')],
  },
  {
    name: 'customers',
    required: true,
    fields: [
      f('company', 'VARCHAR'),
      f('industry', 'VARCHAR'),
      f('country', 'VARCHAR'),
      f('region', 'VARCHAR'),
      f('city', 'VARCHAR'),
      f('preferred_language', 'VARCHAR'),
      f('currency', 'VARCHAR', true),
      f('tags', 'JSON_LIST'),
      f('owner_id', 'BIGINT'),
      f('created_at', 'TIMESTAMPTZ', true),
    ],
  },
  {
    name: 'products',
    required: false,
    fields: [f('sku', 'VARCHAR'), f('name', 'VARCHAR'), f('category', 'VARCHAR'), f('list_price', 'DECIMAL(12,2)'), f('currency', 'VARCHAR'), f('created_at', 'TIMESTAMPTZ')],
  },
  {
    name: 'orders',
    required: true,
    fields: [
      f('customer_id', 'BIGINT', true),
      f('ordered_at', 'TIMESTAMPTZ', true),
      f('status', 'VARCHAR'),
      f('channel', 'VARCHAR'),
      f('currency', 'VARCHAR', true),
      f('total_amount', 'DECIMAL(14,2)', true),
      f('created_at', 'TIMESTAMPTZ'),
    ],
  },
  {
    name: 'order_items',
    required: false,
    fields: [f('order_id', 'BIGINT', true), f('product_id', 'BIGINT'), f('quantity', 'INTEGER'), f('unit_price', 'DECIMAL(12,2)'), f('amount', 'DECIMAL(14,2)', true)],
  },
  {
    name: 'interactions',
    required: false,
    fields: [f('customer_id', 'BIGINT', true), f('staff_id', 'BIGINT'), f('channel', 'VARCHAR', true), f('direction', 'VARCHAR'), f('subject', 'VARCHAR'), f('occurred_at', 'TIMESTAMPTZ', true)],
  },
  {
    name: 'tickets',
    required: false,
    fields: [
      f('customer_id', 'BIGINT', true),
      f('subject', 'VARCHAR'),
      f('status', 'VARCHAR', true),
      f('priority', 'VARCHAR'),
      f('opened_at', 'TIMESTAMPTZ', true),
      f('closed_at', 'TIMESTAMPTZ'),
    ],
  },
  {
    name: 'opportunities',
    required: false,
    fields: [
      f('customer_id', 'BIGINT', true),
      f('owner_id', 'BIGINT'),
      f('name', 'VARCHAR'),
      f('stage', 'VARCHAR', true),
      f('value', 'DECIMAL(14,2)', true),
      f('currency', 'VARCHAR', true),
      f('expected_close', 'DATE'),
      f('created_at', 'TIMESTAMPTZ'),
    ],
  },
  {
    name: 'campaigns',
    required: false,
    fields: [f('name', 'VARCHAR', true), f('channel', 'VARCHAR'), f('started_at', 'TIMESTAMPTZ', true), f('ended_at', 'TIMESTAMPTZ'), f('budget', 'DECIMAL(14,2)'), f('currency', 'VARCHAR'), f('created_at', 'TIMESTAMPTZ')],
  },
  {
    name: 'campaign_audience',
    required: false,
    fields: [f('campaign_id', 'BIGINT', true), f('customer_id', 'BIGINT', true), f('is_holdout', 'BOOLEAN')],
  },
  {
    name: 'campaign_events',
    required: false,
    fields: [f('campaign_id', 'BIGINT', true), f('customer_id', 'BIGINT', true), f('event_type', 'VARCHAR', true), f('occurred_at', 'TIMESTAMPTZ', true)],
  },
  {
    name: 'fx_rates',
    required: false,
    fields: [f('currency', 'VARCHAR', true), f('rate_date', 'DATE', true), f('units_per_usd', 'DECIMAL(18,8)', true)],
  },
];

export function getStagingTable(name: string): StagingTableSpec | undefined {
  return stagingTables.find((table) => table.name === name);
}

/** The DuckDB type a field is stored as in staging (lists arrive as JSON text). */
export function duckdbTypeOf(type: FieldType): string {
  return type === 'JSON_LIST' ? 'VARCHAR' : type;
}

/** All staged columns of a table, in order: id, the table's fields, updated_at, deleted_at. */
export function stagedColumns(table: StagingTableSpec): { name: string; type: string }[] {
  return [
    { name: 'id', type: 'BIGINT' },
    ...table.fields.map((field) => ({ name: field.name, type: duckdbTypeOf(field.type) })),
    { name: 'updated_at', type: 'TIMESTAMPTZ' },
    { name: 'deleted_at', type: 'TIMESTAMPTZ' },
  ];
}
