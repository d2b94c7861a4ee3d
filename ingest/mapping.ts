// Source mappings: where each of Pulse's staged fields comes from in a source PostgreSQL database.
// The file is JSON, validated with zod and then against Pulse's staging tables, so a wrong mapping is
// rejected before any data moves, with the table and field named.
import fs from 'node:fs';
import { z } from 'zod';
import { IngestError } from '../lib/errors.ts';
import { getStagingTable, stagingTables, type StagingTableSpec } from '../warehouse/index.ts';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, 'must be a plain column name (letters, digits, _)');
const qualifiedName = z.string().regex(/^([A-Za-z_][A-Za-z0-9_$]*\.)?[A-Za-z_][A-Za-z0-9_$]*$/, 'must be table or schema.table');

const tableMappingSchema = z
  .object({
    from: qualifiedName.optional(),
    sql: z.string().min(1).optional(),
    key: identifier,
    changeColumn: identifier.optional(),
    deletedColumn: identifier.optional(),
    columns: z.record(z.string(), identifier),
  })
  .strict()
  .refine((t) => Boolean(t.from) !== Boolean(t.sql), { message: 'give exactly one of "from" (a table) or "sql" (a query)' });

const mappingSchema = z
  .object({
    description: z.string().optional(),
    tables: z.record(z.string(), tableMappingSchema),
  })
  .strict();

export interface TableMapping {
  table: StagingTableSpec;
  /** FROM clause target: a quoted table name or a parenthesised query. */
  fromSql: string;
  /** Human name of the source, for messages. */
  sourceName: string;
  key: string;
  changeColumn: string | undefined;
  deletedColumn: string | undefined;
  /** Pulse field → source column. */
  columns: Map<string, string>;
}

export interface SourceMapping {
  file: string;
  tables: TableMapping[];
}

export function loadMapping(file: string): SourceMapping {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new IngestError('mapping_unreadable', `Cannot read source mapping ${file}: ${(cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new IngestError('mapping_invalid', `Source mapping ${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return parseMapping(json, file);
}

export function parseMapping(json: unknown, file = '(inline)'): SourceMapping {
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new IngestError('mapping_invalid', `Source mapping ${file} is invalid:\n${problems.join('\n')}`);
  }
  const problems: string[] = [];
  const tables: TableMapping[] = [];
  for (const [name, raw] of Object.entries(parsed.data.tables)) {
    const table = getStagingTable(name);
    if (!table) {
      problems.push(`  tables.${name}: unknown Pulse table (known: ${stagingTables.map((t) => t.name).join(', ')})`);
      continue;
    }
    const known = new Set(table.fields.map((field) => field.name));
    for (const field of Object.keys(raw.columns)) {
      if (field === 'id' || field === 'updated_at' || field === 'deleted_at') {
        problems.push(`  tables.${name}.columns.${field}: set this with "key", "changeColumn" or "deletedColumn" instead`);
      } else if (!known.has(field)) {
        problems.push(
          `  tables.${name}.columns.${field}: unknown field (fields: ${[...known].join(', ')}). Personal fields such as names, e-mails and phones are not copied into the warehouse.`,
        );
      }
    }
    for (const field of table.fields) {
      if (field.required && !(field.name in raw.columns)) problems.push(`  tables.${name}.columns.${field.name}: required field is not mapped`);
    }
    tables.push({
      table,
      fromSql: raw.from ? raw.from.split('.').map(quotePgIdent).join('.') : `(${raw.sql!.trim().replace(/;\s*$/, '')}) AS source_query`,
      sourceName: raw.from ?? `sql for ${name}`,
      key: raw.key,
      changeColumn: raw.changeColumn,
      deletedColumn: raw.deletedColumn,
      columns: new Map(Object.entries(raw.columns)),
    });
  }
  for (const table of stagingTables) {
    if (table.required && !(table.name in parsed.data.tables)) problems.push(`  tables.${table.name}: required table is not mapped`);
  }
  if (problems.length > 0) throw new IngestError('mapping_invalid', `Source mapping ${file} is invalid:\n${problems.join('\n')}`);
  return { file, tables: sortByStagingOrder(tables) };
}

function sortByStagingOrder(tables: TableMapping[]): TableMapping[] {
  const order = stagingTables.map((t) => t.name);
  return [...tables].sort((a, b) => order.indexOf(a.table.name) - order.indexOf(b.table.name));
}

export function quotePgIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
