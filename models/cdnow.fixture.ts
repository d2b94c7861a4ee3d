// Test fixture: the CDNOW files shipped in ../shared/data/cdnow (see PROVENANCE.md there), parsed
// into the typed arrays the models take. Used by tests only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Transactions } from './churn-backtest.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CDNOW_DIR = path.resolve(repoRoot, '../shared/data/cdnow');

/** Numeric CSV with a header → one Float64Array per column, by header name. */
export function readCdnowCsv(file: string): Record<string, Float64Array> {
  const lines = readFileSync(path.join(CDNOW_DIR, file), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const columns = header.map(() => new Float64Array(lines.length - 1));
  for (let i = 1; i < lines.length; i++) {
    lines[i]!.split(',').forEach((value, j) => {
      columns[j]![i - 1] = Number(value);
    });
  }
  return Object.fromEntries(header.map((name, j) => [name, columns[j]!]));
}

/** Days since 1970-01-01 for a YYYYMMDD or YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  const digits = date.replaceAll('-', '');
  return Date.UTC(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)) - 1, Number(digits.slice(6, 8))) / 86_400_000;
}

/** CDNOW_master.txt: 69,659 transactions of 23,570 customers. */
export function readCdnowTransactions(): Transactions {
  const lines = readFileSync(path.join(CDNOW_DIR, 'CDNOW_master.txt'), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '');
  const customer = new Int32Array(lines.length);
  const day = new Int32Array(lines.length);
  const value = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const [id, date, , dollars] = line.trim().split(/\s+/);
    customer[i] = Number(id);
    day[i] = dayNumber(date!);
    value[i] = Number(dollars);
  });
  return { customer, day, value };
}
