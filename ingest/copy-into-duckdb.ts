// The bulk path from PostgreSQL into DuckDB: `COPY … TO STDOUT (FORMAT csv)` read off the socket into
// chunks of whole rows (copy-out.ts), each written to a file and loaded with DuckDB's parallel CSV reader
// while PostgreSQL keeps producing the next one. Overlapping the two is what brings the sync close to
// PostgreSQL's own COPY speed (a single temp file loaded at the end reaches about half of it, STACK.md).
// Memory stays flat: at most three chunks exist at once (copy-out.ts).
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { quoteIdent, quoteLiteral, type DuckDb } from '../warehouse/index.ts';
import { CopyOutChunks } from './copy-out.ts';

export interface CopyOptions {
  client: pg.ClientBase;
  copySql: string;
  db: DuckDb;
  /** Qualified target, e.g. staging.orders__load; must exist with `columns`. */
  targetSchema: string;
  targetTable: string;
  columns: { name: string; type: string }[];
  tmpDir: string;
  chunkBytes?: number;
  onProgress?: (rowsLoaded: number) => void;
}

export async function copyIntoDuckDb(options: CopyOptions): Promise<number> {
  const chunkBytes = options.chunkBytes ?? 32 * 1024 * 1024;
  fs.mkdirSync(options.tmpDir, { recursive: true });
  const columnsSpec = `{${options.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(', ')}}`;
  const target = `${quoteIdent(options.targetSchema)}.${quoteIdent(options.targetTable)}`;

  let rowsLoaded = 0;
  let chunkIndex = 0;
  let pendingLoad: Promise<void> = Promise.resolve();
  const filesMade: string[] = [];

  const loadChunk = async (rows: Buffer): Promise<void> => {
    const file = path.join(options.tmpDir, `${options.targetTable}-${process.pid}-${chunkIndex++}.csv`);
    filesMade.push(file);
    await fs.promises.writeFile(file, rows);
    // One load at a time on the connection; the next chunk accumulates meanwhile.
    await pendingLoad;
    pendingLoad = (async () => {
      try {
        // PostgreSQL's CSV: unquoted empty = NULL, "" = empty string (allow_quoted_nulls=false keeps that apart).
        rowsLoaded += await options.db.runCount(
          `INSERT INTO ${target} SELECT * FROM read_csv(${quoteLiteral(file)}, columns = ${columnsSpec}, header = false, delim = ',',
             quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = false, auto_detect = false, strict_mode = true)`,
        );
        options.onProgress?.(rowsLoaded);
      } finally {
        fs.rmSync(file, { force: true });
      }
    })();
    // Surface a load error at the next await instead of as an unhandled rejection.
    pendingLoad.catch(() => undefined);
  };

  try {
    const copy = options.client.query(new CopyOutChunks(options.copySql, chunkBytes));
    for await (const rows of copy) await loadChunk(rows);
    await pendingLoad;
    // Every row PostgreSQL says it sent must have been loaded (a CSV row split or merged would not be).
    if (copy.rowCount !== null && copy.rowCount !== rowsLoaded) {
      throw new Error(`${options.targetTable}: PostgreSQL sent ${copy.rowCount} rows but DuckDB loaded ${rowsLoaded}`);
    }
  } finally {
    await pendingLoad.catch(() => undefined);
    for (const file of filesMade) fs.rmSync(file, { force: true });
  }
  return rowsLoaded;
}
