// The one place that talks to DuckDB (CONVENTIONS 8). It opens a database file, runs statements
// with bound values, converts DuckDB values to plain JSON-safe ones, and closes in `finally`.
// Nothing outside this module sees DuckDB types.
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { WarehouseError } from '../lib/errors.ts';

export type Row = Record<string, JsonValue>;
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type BoundValue = string | number | boolean | null | bigint;

export interface AppendColumn {
  name: string;
  type: 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'VARCHAR';
  values: ArrayLike<number | string | null>;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** DuckDB memory limit, e.g. '600MB'. Keeps the sync process within its memory budget. */
  memoryLimit?: string;
  threads?: number;
}

/** An open DuckDB database with one connection. Always `close()` it (use `withDuckDb`). */
export class DuckDb {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string, options: OpenOptions = {}): Promise<DuckDb> {
    const config: Record<string, string> = {
      // Offline, only built-in extensions exist; each failed auto-install costs ~0.5 s (STACK.md).
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (cause) {
      throw new WarehouseError('open_failed', `Cannot open DuckDB file ${path}: ${messageOf(cause)}`, { cause });
    }
    try {
      const connection = await instance.connect();
      return new DuckDb(path, instance, connection);
    } catch (cause) {
      instance.closeSync();
      throw new WarehouseError('open_failed', `Cannot connect to DuckDB file ${path}: ${messageOf(cause)}`, { cause });
    }
  }

  /** Runs a statement (or several, without values) and discards the result. */
  async run(sql: string, values?: BoundValue[]): Promise<void> {
    try {
      await this.connection.run(sql, values as DuckDBValue[] | undefined);
    } catch (cause) {
      throw new WarehouseError('query_failed', `${messageOf(cause)} (in: ${firstLine(sql)})`, { cause });
    }
  }

  /** Runs a statement and returns how many rows it inserted, updated or deleted. */
  async runCount(sql: string, values?: BoundValue[]): Promise<number> {
    try {
      const result = await this.connection.run(sql, values as DuckDBValue[] | undefined);
      return Number(result.rowsChanged);
    } catch (cause) {
      throw new WarehouseError('query_failed', `${messageOf(cause)} (in: ${firstLine(sql)})`, { cause });
    }
  }

  /** Runs a query and returns its rows as plain objects (BIGINT/HUGEINT → number when safe, DECIMAL → number, dates → ISO strings). */
  async all<T extends Row = Row>(sql: string, values?: BoundValue[]): Promise<T[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql, values as DuckDBValue[] | undefined);
      const numeric = new Set(reader.columnNames().filter((_, i) => NUMERIC_AS_STRING.has(reader.columnTypeId(i))));
      const rows = reader.getRowObjectsJson() as Row[];
      if (numeric.size === 0) return rows as T[];
      return rows.map((row) => normaliseRow(row, numeric)) as T[];
    } catch (cause) {
      throw new WarehouseError('query_failed', `${messageOf(cause)} (in: ${firstLine(sql)})`, { cause });
    }
  }

  async one<T extends Row = Row>(sql: string, values?: BoundValue[]): Promise<T> {
    const rows = await this.all<T>(sql, values);
    if (rows.length === 0) throw new WarehouseError('no_rows', `Query returned no rows (in: ${firstLine(sql)})`);
    return rows[0]!;
  }

  /**
   * Reads every column of a query as a Float64Array (values cast to DOUBLE; NULL becomes NaN), for
   * models that work on typed arrays rather than row objects.
   */
  async numericColumns(sql: string, values?: BoundValue[]): Promise<{ n: number; columns: Record<string, Float64Array> }> {
    try {
      // Streamed chunk by chunk: materialising a million-row result as JS arrays first held ~25 bytes
      // per value at once (boxed numbers), several hundred MB for a wide read.
      const result = await this.connection.stream(sql, values as DuckDBValue[] | undefined);
      const names = result.columnNames();
      let capacity = 4096;
      let arrays = names.map(() => new Float64Array(capacity));
      let n = 0;
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const rows = chunk.rowCount;
        if (n + rows > capacity) {
          capacity = Math.max(capacity * 2, n + rows);
          arrays = arrays.map((old) => {
            const grown = new Float64Array(capacity);
            grown.set(old.subarray(0, n));
            return grown;
          });
        }
        const raw = chunk.getColumns();
        arrays.forEach((out, i) => {
          const column = raw[i]!;
          for (let r = 0; r < rows; r++) {
            const v = column[r];
            out[n + r] = v === null || v === undefined ? Number.NaN : typeof v === 'bigint' ? Number(v) : Number(v as number);
          }
        });
        n += rows;
      }
      const columns: Record<string, Float64Array> = {};
      names.forEach((name, i) => (columns[name] = arrays[i]!.slice(0, n)));
      return { n, columns };
    } catch (cause) {
      throw new WarehouseError('query_failed', `${messageOf(cause)} (in: ${firstLine(sql)})`, { cause });
    }
  }

  /** Appends rows column-wise to an existing table (DuckDB's appender: far faster than INSERTs). */
  async appendColumns(table: string, columns: AppendColumn[], schema = 'main'): Promise<void> {
    const n = columns[0]?.values.length ?? 0;
    if (columns.some((c) => c.values.length !== n)) throw new WarehouseError('bad_append', `Columns appended to ${table} differ in length`);
    const appender = await this.connection.createAppender(table, schema);
    try {
      for (let r = 0; r < n; r++) {
        for (const c of columns) {
          const v = c.values[r];
          if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) appender.appendNull();
          else if (c.type === 'INTEGER') appender.appendInteger(v as number);
          else if (c.type === 'BIGINT') appender.appendBigInt(BigInt(v as number));
          else if (c.type === 'DOUBLE') appender.appendDouble(v as number);
          else appender.appendVarchar(String(v));
        }
        appender.endRow();
      }
      appender.flushSync();
    } catch (cause) {
      throw new WarehouseError('append_failed', `Appending to ${table} failed: ${messageOf(cause)}`, { cause });
    } finally {
      appender.closeSync();
    }
  }

  /** Runs `fn` inside a transaction; rolls back if it throws. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  close(): void {
    try {
      this.connection.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }
}

export async function withDuckDb<T>(path: string, options: OpenOptions, fn: (db: DuckDb) => Promise<T>): Promise<T> {
  const db = await DuckDb.open(path, options);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** Quotes an identifier. Callers pass names from an allow-list; this only guards the syntax. */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new WarehouseError('bad_identifier', `Not a valid identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** Quotes a string literal, for the few statements DuckDB cannot bind (e.g. file paths in COPY/ATTACH). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

// getRowObjectsJson() returns these as strings (STACK.md); they become numbers here.
const NUMERIC_AS_STRING = new Set<DuckDBTypeId>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.DECIMAL]);

function normaliseRow(row: Row, numeric: Set<string>): Row {
  const out: Row = { ...row };
  for (const key of numeric) out[key] = toNumber(row[key] ?? null);
  return out;
}

// Integers that fit a double exactly become numbers; larger ones stay strings so no digit is lost.
// DECIMAL becomes a number (money sums are exact in SQL; only presentation uses the double).
function toNumber(value: JsonValue): JsonValue {
  if (typeof value !== 'string') return value;
  const n = Number(value);
  if (value.includes('.') ? Number.isFinite(n) : Number.isSafeInteger(n)) return n;
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(sql: string): string {
  const line = sql.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
