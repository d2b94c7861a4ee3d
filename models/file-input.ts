// Thin I/O for the analyst CLI (`pulse models kmeans|fit-bgnbd --input FILE`): any numeric CSV or
// Parquet file becomes a flat matrix through DuckDB, with errors that say which column and row is
// wrong. The model functions themselves never touch files.
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ModelError } from '../lib/errors.ts';
import { quoteLiteral, withDuckDb, type DuckDb } from '../warehouse/duckdb.ts';
import { fitBgnbd } from './bgnbd.ts';
import { kmeans } from './kmeans.ts';

export interface NumericMatrix {
  columns: string[];
  /** n × d, row-major. */
  data: Float64Array;
  n: number;
  d: number;
}

export interface ReadOptions {
  /**
   * Keep only these columns, in this order, matched case-insensitively; an entry may list
   * alternative names (['frequency', 'x']). Default: all columns.
   */
  columns?: readonly (string | readonly string[])[];
}

const NUMERIC_TYPE = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;
// Rows fetched per query. Each chunk passes through DuckDB values and JSON arrays before landing
// in the Float64Array; 16k rows keeps that transient garbage small (1M × 6 from Parquet peaked at
// ~270–300 MB RSS with 16k, ~350 MB with 128k) at no measurable cost in time.
const CHUNK_ROWS = 16_384;

/** Reads a CSV (any extension but .parquet) or Parquet file of numeric columns into a matrix. */
export async function readNumericMatrix(file: string, options: ReadOptions = {}): Promise<NumericMatrix> {
  const info = await stat(file).catch((cause: unknown) => {
    throw new ModelError('file_missing', `Input file not found: ${file}`, { cause });
  });
  if (!info.isFile()) throw new ModelError('file_missing', `Input is not a file: ${file}`);
  if (info.size === 0) throw new ModelError('empty_file', `Input file is empty: ${file}`);
  const source = extname(file).toLowerCase() === '.parquet' ? `read_parquet(${quoteLiteral(file)})` : `read_csv_auto(${quoteLiteral(file)})`;

  return withDuckDb(':memory:', {}, async (db) => {
    const unreadable = (cause: unknown): never => {
      throw new ModelError('unreadable_file', `Cannot read ${file} as ${source.startsWith('read_parquet') ? 'Parquet' : 'CSV'}: ${messageOf(cause)}`, { cause });
    };
    const described = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${source}`).catch(unreadable);
    const allColumns = described.map((c) => c.column_name);
    // Columns get safe positional names (c0, c1, …) so any header text works without quoting it.
    // A temporary table gives every row a stable rowid, used for row numbers in errors and for
    // reading in file order, chunk by chunk.
    const safe = allColumns.map((_, j) => `c${j}`);
    await db.run(`CREATE TEMP TABLE m AS SELECT * FROM ${source} AS s(${safe.join(', ')})`).catch(unreadable);
    const { rows } = await db.one<{ rows: number }>('SELECT count(*)::INTEGER AS rows FROM m');
    if (rows === 0) throw new ModelError('empty_file', `Input file has no data rows: ${file}`);

    const picked = pickColumns(allColumns, options.columns, file);
    for (const j of picked) {
      if (!NUMERIC_TYPE.test(described[j]!.column_type)) await throwNonNumeric(db, file, allColumns[j]!, safe[j]!, described[j]!.column_type);
    }
    await checkValues(db, file, picked.map((j) => ({ name: allColumns[j]!, safe: safe[j]! })));

    const d = picked.length;
    const data = new Float64Array(rows * d);
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const lists = picked.map((j) => `list(CAST(${safe[j]} AS DOUBLE) ORDER BY rowid) AS ${safe[j]}`).join(', ');
      const [chunk] = await db.all(`SELECT ${lists} FROM m WHERE rowid >= ? AND rowid < ?`, [start, start + CHUNK_ROWS]);
      picked.forEach((j, col) => {
        const values = chunk![safe[j]!] as number[];
        for (let i = 0; i < values.length; i++) data[(start + i) * d + col] = values[i]!;
      });
    }
    return { columns: picked.map((j) => allColumns[j]!), data, n: rows, d };
  });
}

export interface KmeansCommandInput {
  input: string;
  k: number;
  seed: number;
  nInit?: number;
}

export interface KmeansCommandOutput {
  columns: string[];
  rows: number;
  inertia: number;
  iterations: number;
  /** Clustering time only (reading the file is `readSeconds`). */
  seconds: number;
  readSeconds: number;
  sizes: number[];
  centroids: number[][];
}

/** `pulse models kmeans --input FILE --k K --seed S`: clusters the file's columns as given (no scaling). */
export async function runKmeansCommand(input: KmeansCommandInput, now: () => number = () => performance.now()): Promise<KmeansCommandOutput> {
  const started = now();
  const matrix = await readNumericMatrix(input.input);
  const read = now();
  const result = kmeans(matrix.data, matrix.n, matrix.d, { k: input.k, seed: input.seed, nInit: input.nInit ?? 5 });
  const done = now();
  const centroids = Array.from({ length: input.k }, (_, c) => Array.from(result.centroids.subarray(c * matrix.d, (c + 1) * matrix.d)));
  return {
    columns: matrix.columns,
    rows: matrix.n,
    inertia: result.inertia,
    iterations: result.iterations,
    seconds: (done - read) / 1000,
    readSeconds: (read - started) / 1000,
    sizes: Array.from(result.sizes),
    centroids,
  };
}

export interface FitBgnbdCommandOutput {
  r: number;
  alpha: number;
  a: number;
  b: number;
  loglik: number;
  customers: number;
  converged: boolean;
}

/** `pulse models fit-bgnbd --input FILE`: a CSV/Parquet with columns frequency, recency, T (or x, t_x, T). */
export async function runFitBgnbdCommand(input: { input: string }): Promise<FitBgnbdCommandOutput> {
  const { data, n } = await readNumericMatrix(input.input, { columns: [['frequency', 'x'], ['recency', 't_x'], 'T'] });
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    frequency[i] = data[i * 3]!;
    recency[i] = data[i * 3 + 1]!;
    T[i] = data[i * 3 + 2]!;
  }
  const fit = fitBgnbd({ frequency, recency, T });
  return { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b, loglik: fit.loglik, customers: n, converged: fit.converged };
}

function pickColumns(all: string[], wanted: ReadOptions['columns'], file: string): number[] {
  if (!wanted) return all.map((_, j) => j);
  return wanted.map((entry) => {
    const names = typeof entry === 'string' ? [entry] : entry;
    const j = all.findIndex((c) => names.some((name) => c.toLowerCase() === name.toLowerCase()));
    if (j < 0) throw new ModelError('missing_column', `${file} has no column ${names.map((name) => JSON.stringify(name)).join(' or ')}; it has ${all.join(', ')}`);
    return j;
  });
}

async function throwNonNumeric(db: DuckDb, file: string, name: string, safe: string, type: string): Promise<never> {
  const [example] = await db.all<{ row: number; value: string }>(
    `SELECT rowid + 1 AS row, CAST(${safe} AS VARCHAR) AS value FROM m WHERE ${safe} IS NOT NULL AND TRY_CAST(${safe} AS DOUBLE) IS NULL ORDER BY rowid LIMIT 1`,
  );
  const detail = example ? `row ${example.row} has ${JSON.stringify(example.value)}` : `DuckDB read it as ${type}`;
  throw new ModelError('non_numeric_column', `Column ${JSON.stringify(name)} in ${file} is not numeric: ${detail}`);
}

// One pass over the table: for every column the first row with a missing/NaN/infinite value, and
// whether the column is all zeros (which would make scaling and clustering meaningless).
async function checkValues(db: DuckDb, file: string, columns: { name: string; safe: string }[]): Promise<void> {
  const parts = columns.flatMap(({ safe }) => [
    `min(rowid) FILTER (WHERE ${safe} IS NULL OR NOT isfinite(CAST(${safe} AS DOUBLE))) + 1 AS bad_${safe}`,
    `bool_and(${safe} = 0) AS zero_${safe}`,
  ]);
  const summary = await db.one(`SELECT ${parts.join(', ')} FROM m`);
  for (const { name, safe } of columns) {
    const badRow = summary[`bad_${safe}`];
    if (typeof badRow === 'number') {
      throw new ModelError('bad_value', `Column ${JSON.stringify(name)} in ${file} has a missing or non-numeric value (null/NaN/infinite) at row ${badRow}`);
    }
  }
  for (const { name, safe } of columns) {
    if (summary[`zero_${safe}`] === true) throw new ModelError('all_zero_column', `Column ${JSON.stringify(name)} in ${file} is all zeros`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
