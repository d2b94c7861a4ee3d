// ingest/copy-out.ts reads COPY … TO STDOUT off the socket itself: its chunks must hold exactly the
// bytes pg-copy-streams (the library it replaces on the sync path) receives, cut only at row ends,
// and an error in the middle of a COPY must reach the caller with the connection still usable.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyOutChunks } from '../ingest/copy-out.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase('copy_out');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

// Rows with quotes, commas, newlines inside fields, Chinese text, NULLs, and one row of 5,000 Chinese characters (15 kB).
const awkwardRows = `COPY (
  SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name "' || i || '", line one' || chr(10) || '第二行 ' || repeat('x', i % 50) END,
         CASE WHEN i = 777 THEN repeat('长', 5000) ELSE '' END
  FROM generate_series(1, 3000) AS i ORDER BY i) TO STDOUT (FORMAT csv)`;

async function viaPgCopyStreams(sql: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(
    client.query(copyTo(sql)),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(parts);
}

describe('CopyOutChunks', () => {
  it('yields the same bytes as pg-copy-streams, in chunks that end at row ends', async () => {
    const expected = await viaPgCopyStreams(awkwardRows);
    const copy = client.query(new CopyOutChunks(awkwardRows, 4096));
    const chunks: Buffer[] = [];
    for await (const chunk of copy) chunks.push(Buffer.from(chunk)); // a chunk's memory is reused after the step
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    expect(chunks.length).toBeGreaterThan(2);
    expect(copy.rowCount).toBe(3000);
    // Each chunk parses on its own: CSV quote characters balance, and it ends with a row's newline.
    for (const chunk of chunks) {
      expect(chunk.at(-1)).toBe(0x0a);
      expect(chunk.toString('utf8').split('"').length % 2).toBe(1);
    }
    // The 5,000-character row is longer than a chunk and arrives whole.
    expect(chunks.some((c) => c.toString('utf8').includes('长'.repeat(5000)))).toBe(true);
    expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('yields the same bytes for 200,000 short rows (message headers split across socket reads)', async () => {
    // Rows of ~12 bytes behind 5-byte headers: with ~50 socket reads, headers fall across read boundaries.
    const sql = 'COPY (SELECT i, i * 2 FROM generate_series(1, 200000) AS i) TO STDOUT (FORMAT csv)';
    const expected = await viaPgCopyStreams(sql);
    const chunks: Buffer[] = [];
    const copy = client.query(new CopyOutChunks(sql, 64 * 1024));
    for await (const chunk of copy) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    expect(copy.rowCount).toBe(200_000);
  });

  it('reports an error raised in the middle of a COPY and leaves the connection usable', async () => {
    // Far more rows before the failing one than one socket read carries: some chunks arrive first.
    const failing = 'COPY (SELECT i, 1 / (i - 150000) FROM generate_series(1, 200000) AS i) TO STDOUT (FORMAT csv)';
    const copy = client.query(new CopyOutChunks(failing, 1024));
    let received = 0;
    await expect(
      (async () => {
        for await (const chunk of copy) received += chunk.length;
      })(),
    ).rejects.toThrow(/division by zero/);
    expect(received).toBeGreaterThan(0);
    expect((await client.query('SELECT 2 AS two')).rows[0].two).toBe(2);
  });

  it('reports an error before any row (a bad query) the same way', async () => {
    const copy = client.query(new CopyOutChunks('COPY (SELECT no_such_column FROM generate_series(1, 3)) TO STDOUT (FORMAT csv)'));
    await expect(
      (async () => {
        for await (const chunk of copy) expect(chunk).toBeUndefined();
      })(),
    ).rejects.toThrow(/no_such_column/);
    expect((await client.query('SELECT 3 AS three')).rows[0].three).toBe(3);
  });
});
