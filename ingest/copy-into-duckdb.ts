// The bulk path from PostgreSQL into DuckDB: `COPY … TO STDOUT (FORMAT csv)` streamed into chunk files,
// each loaded with DuckDB's parallel CSV reader while PostgreSQL keeps producing the next one. Overlapping
// the two is what brings the sync close to PostgreSQL's own COPY speed (a single temp file loaded at the
// end reaches about half of it, STACK.md). Memory stays flat: at most two chunks exist at once.
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { quoteIdent, quoteLiteral, type DuckDb } from '../warehouse/index.ts';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

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

  const loadChunk = async (parts: Buffer[]): Promise<void> => {
    const file = path.join(options.tmpDir, `${options.targetTable}-${process.pid}-${chunkIndex++}.csv`);
    filesMade.push(file);
    await fs.promises.writeFile(file, parts.length === 1 ? parts[0]! : Buffer.concat(parts));
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
    const stream = options.client.query(copyTo(options.copySql));
    let parts: Buffer[] = [];
    let size = 0;
    // Quote parity at the start of the current buffer: a newline inside a quoted field is not a row end.
    let inQuotes = false;
    for await (const data of stream as AsyncIterable<Buffer>) {
      const split = size + data.length >= chunkBytes ? lastRowEnd(data, inQuotes) : -1;
      inQuotes = quoteParityAfter(data, inQuotes);
      if (split < 0) {
        parts.push(data);
        size += data.length;
        continue;
      }
      parts.push(data.subarray(0, split + 1));
      await loadChunk(parts);
      const rest = data.subarray(split + 1);
      parts = rest.length > 0 ? [rest] : [];
      size = rest.length;
    }
    if (size > 0) await loadChunk(parts);
    await pendingLoad;
  } finally {
    await pendingLoad.catch(() => undefined);
    for (const file of filesMade) fs.rmSync(file, { force: true });
  }
  return rowsLoaded;
}

function quoteParityAfter(data: Buffer, inQuotes: boolean): boolean {
  let parity = inQuotes;
  for (let i = data.indexOf(QUOTE); i !== -1; i = data.indexOf(QUOTE, i + 1)) parity = !parity;
  return parity;
}

/** Index of the last newline in `data` that ends a row (not inside quotes), or -1. */
function lastRowEnd(data: Buffer, inQuotesAtStart: boolean): number {
  // Walk quotes once, remembering the parity at each quote, then test candidate newlines from the end.
  const quotes: number[] = [];
  for (let i = data.indexOf(QUOTE); i !== -1; i = data.indexOf(QUOTE, i + 1)) quotes.push(i);
  let q = quotes.length;
  for (let nl = data.lastIndexOf(NEWLINE); nl !== -1; nl = nl > 0 ? data.lastIndexOf(NEWLINE, nl - 1) : -1) {
    while (q > 0 && quotes[q - 1]! > nl) q--;
    const inQuotes = (q % 2 === 1) !== inQuotesAtStart;
    if (!inQuotes) return nl;
  }
  return -1;
}
