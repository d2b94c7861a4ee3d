import { describe, expect, it } from 'vitest';
import { createPeriod } from './calendar.ts';
import { CsvWriter, csvText } from './csv.ts';
import { Random, seedKey } from './random.ts';

const period = createPeriod(new Date('2026-06-01T00:00:00Z'));

function rowText(write: (out: CsvWriter) => void): string {
  const out = new CsvWriter(period, 64 * 1024);
  write(out);
  out.end();
  return out.take().bytes.toString('utf8');
}

describe('CsvWriter', () => {
  it('quotes commas, quotes and line breaks, and keeps NULL apart from an empty string', () => {
    const line = rowText((out) => out.int(7).text('Robert Smith, Jr.').text('William "Bill" Carter').text("Mary O'Brien").text('').null().text('王伟\n第二行'));
    expect(line).toBe('7,"Robert Smith, Jr.","William ""Bill"" Carter",Mary O\'Brien,"",,"王伟\n第二行"\n');
  });

  it('writes money, dates, times and arrays the way COPY reads them', () => {
    const at = Date.parse('2025-11-11T08:05:09Z') / 1000;
    const line = rowText((out) => out.cents(123456).cents(5).cents(0).timestamp(at).date(at).textArray([]).textArray(['vip']).textArray(['vip', '企业客户']).bool(true));
    expect(line).toBe('1234.56,0.05,0.00,2025-11-11 08:05:09+00,2025-11-11,{},{vip},"{vip,企业客户}",t\n');
  });

  it('encodes UTF-8 exactly as Buffer does, including non-BMP characters', () => {
    for (const value of ['plain', 'Müller Köln', '上海星辰科技有限公司', 'emoji 😀 ok', 'x'.repeat(300) + '王', 'lone \ud800 surrogate']) {
      expect(rowText((out) => out.text(value))).toBe(`${Buffer.from(value, 'utf8').toString('utf8')}\n`);
    }
  });

  it('formats times outside its day table too', () => {
    const line = rowText((out) => out.timestamp(Date.parse('1999-12-31T23:59:59Z') / 1000).int(1234567890123));
    expect(line).toBe('1999-12-31 23:59:59+00,1234567890123\n');
  });

  it('counts rows per chunk and starts a fresh chunk after take()', () => {
    const out = new CsvWriter(period, 32 * 1024);
    let full = false;
    let rows = 0;
    while (!full) {
      full = out.int(rows).text('x'.repeat(100)).end();
      rows += 1;
    }
    const chunk = out.take();
    expect(chunk.rows).toBe(rows);
    expect(chunk.bytes.toString('utf8').split('\n').length - 1).toBe(rows);
    expect(out.isEmpty).toBe(true);
  });
});

describe('csvText', () => {
  it('quotes only what CSV needs', () => {
    expect(csvText("Mary O'Brien")).toBe("Mary O'Brien");
    expect(csvText('Smith, Jr.')).toBe('"Smith, Jr."');
    expect(csvText('')).toBe('""');
  });
});

describe('Random', () => {
  it('repeats a stream for the same keys and differs for others', () => {
    const draw = (a: number, b: number, c: number) => {
      const random = new Random(a, b, c);
      return [random.next(), random.normal(), random.gamma(0.75), random.poisson(4), random.int(1000)];
    };
    expect(draw(1, 2, 3)).toEqual(draw(1, 2, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 2, 4));
    expect(seedKey(42)).not.toBe(seedKey(43));
    expect(seedKey(2 ** 40 + 1)).not.toBe(seedKey(1));
  });

  it('draws with the intended means', () => {
    const random = new Random(9, 9, 9);
    let uniform = 0;
    let gamma = 0;
    let poisson = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      uniform += random.next();
      gamma += random.gamma(0.75);
      poisson += random.poisson(3);
    }
    expect(uniform / n).toBeCloseTo(0.5, 1);
    expect(gamma / n).toBeCloseTo(0.75, 1);
    expect(poisson / n).toBeCloseTo(3, 1);
  });
});
