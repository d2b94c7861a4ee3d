import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../lib/errors.ts';
import { quoteLiteral, withDuckDb } from '../warehouse/duckdb.ts';
import { CDNOW_DIR } from './cdnow.fixture.ts';
import { readNumericMatrix, runFitBgnbdCommand, runKmeansCommand } from './file-input.ts';

let dir = '';
const file = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pulse-models-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectModelError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  expect((error as ModelError).code).toBe(code);
  expect((error as ModelError).message).toMatch(message);
}

describe('readNumericMatrix', () => {
  it('reads a numeric CSV into a row-major matrix, in file order', async () => {
    await writeFile(file('small.csv'), 'spend,orders,days since\n10.5,1,3\n20,2,0\n30.25,3,7\n');
    const matrix = await readNumericMatrix(file('small.csv'));
    expect(matrix.columns).toEqual(['spend', 'orders', 'days since']);
    expect([matrix.n, matrix.d]).toEqual([3, 3]);
    expect(Array.from(matrix.data)).toEqual([10.5, 1, 3, 20, 2, 0, 30.25, 3, 7]);
  });

  it('reads Parquet files and picks columns by name', async () => {
    const parquet = file('small.parquet');
    await withDuckDb(':memory:', {}, (db) => db.run(`COPY (SELECT range AS id, range * 1.5 AS value FROM range(5)) TO ${quoteLiteral(parquet)} (FORMAT parquet)`));
    const matrix = await readNumericMatrix(parquet, { columns: ['VALUE'] });
    expect(matrix.columns).toEqual(['value']);
    expect(Array.from(matrix.data)).toEqual([0, 1.5, 3, 4.5, 6]);
  });

  it('says clearly what is wrong with a bad file', async () => {
    await writeFile(file('empty.csv'), '');
    await writeFile(file('header.csv'), 'a,b\n');
    await writeFile(file('text.csv'), 'a,city\n1,Paris\n2,Lyon\n');
    await writeFile(file('null.csv'), 'a,b\n1,2\n3,\n4,5\n');
    await writeFile(file('nan.csv'), 'a,b\n1,2\n3,4\nnan,5\n');
    await writeFile(file('zero.csv'), 'a,b\n1,0\n3,0\n');
    await expectModelError(readNumericMatrix(file('missing.csv')), 'file_missing', /not found: .*missing\.csv/);
    await expectModelError(readNumericMatrix(file('empty.csv')), 'empty_file', /empty/);
    await expectModelError(readNumericMatrix(file('header.csv')), 'empty_file', /no data rows/);
    await expectModelError(readNumericMatrix(file('text.csv')), 'non_numeric_column', /Column "city" .* not numeric: row 1 has "Paris"/);
    await expectModelError(readNumericMatrix(file('null.csv')), 'bad_value', /Column "b" .* at row 2/);
    await expectModelError(readNumericMatrix(file('nan.csv')), 'bad_value', /Column "a" .* at row 3/);
    await expectModelError(readNumericMatrix(file('zero.csv')), 'all_zero_column', /Column "b" .* all zeros/);
    await expectModelError(readNumericMatrix(file('small.csv'), { columns: ['nope'] }), 'missing_column', /no column "nope"; it has spend, orders, days since/);
  });
});

describe('runKmeansCommand', () => {
  it('clusters a small file and reports sizes, centroids and timings', async () => {
    const rows = ['x,y', ...Array.from({ length: 30 }, (_, i) => (i < 15 ? `${i % 3},${i % 5}` : `${100 + (i % 3)},${100 + (i % 5)}`))];
    await writeFile(file('two-groups.csv'), rows.join('\n'));
    let clock = 0;
    const output = await runKmeansCommand({ input: file('two-groups.csv'), k: 2, seed: 1 }, () => (clock += 500));
    expect(output.sizes.sort()).toEqual([15, 15]);
    expect(output.centroids.map((c) => Math.round(c[0]!)).sort((a, b) => a - b)).toEqual([1, 101]);
    expect(output).toMatchObject({ rows: 30, columns: ['x', 'y'], seconds: 0.5, readSeconds: 0.5 });
  });

  it('clusters the CDNOW summary file', async () => {
    const output = await runKmeansCommand({ input: path.join(CDNOW_DIR, 'cdnow_customers_summary.csv'), k: 4, seed: 3, nInit: 3 });
    expect(output.sizes.reduce((a, b) => a + b, 0)).toBe(2357);
    expect(output.centroids).toHaveLength(4);
    expect(output.inertia).toBeGreaterThan(0);
  });
});

describe('runFitBgnbdCommand', () => {
  it('fits BG/NBD to the CDNOW summary file', async () => {
    const fit = await runFitBgnbdCommand({ input: path.join(CDNOW_DIR, 'cdnow_customers_summary.csv') });
    expect(fit.customers).toBe(2357);
    expect(fit.r).toBeCloseTo(0.2426, 3);
    expect(fit.alpha).toBeCloseTo(4.4135, 2);
    expect(fit.loglik).toBeCloseTo(-9582.43, 1);
  });

  it('accepts x, t_x, T headers and names missing ones', async () => {
    await writeFile(file('summary.csv'), 'x,t_x,T\n2,30.43,38.86\n1,1.71,38.86\n0,0,38.86\n0,0,38.86\n4,20,30\n');
    const fit = await runFitBgnbdCommand({ input: file('summary.csv') });
    expect(fit.customers).toBe(5);
    await writeFile(file('no-t.csv'), 'frequency,recency\n1,2\n');
    await expectModelError(runFitBgnbdCommand({ input: file('no-t.csv') }), 'missing_column', /no column "T"/);
  });
});
