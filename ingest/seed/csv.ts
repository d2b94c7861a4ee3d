// CSV for COPY ... (FORMAT csv), written straight into byte buffers: an empty unquoted field is
// NULL, a quoted empty string is ''; values with a comma, quote or line break are quoted with
// inner quotes doubled. Writing bytes rather than concatenating strings keeps the generator ahead
// of PostgreSQL (tens of millions of rows) without garbage-collector pauses.
import { DAY, type Period } from './calendar.ts';

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field for a text value (used where a string is easier, e.g. tests). */
export function csvText(value: string): string {
  if (value === '') return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export interface Chunk {
  bytes: Buffer;
  rows: number;
}

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const ZERO = 0x30;

/**
 * Builds CSV chunks of about `size` bytes (default 512 KB), the unit handed to the COPY stream:
 * large enough to keep per-write overhead low, small enough that memory stays flat however many
 * rows a table has. Rows are written field by field; `end()` closes a row and says whether the
 * chunk is full and should be taken.
 */
export class CsvWriter {
  private buf: Buffer;
  private pos = 0;
  private rows = 0;
  private readonly limit: number;
  private readonly dayBase: number;
  private readonly days: Buffer;
  private readonly dayCount: number;

  constructor(
    period: Period,
    private readonly size = 512 * 1024,
  ) {
    // Each row must fit in the room left after `limit`; rows here are well under 8 KB.
    this.limit = size - 16 * 1024;
    this.buf = Buffer.allocUnsafe(size);
    // 'YYYY-MM-DD' for every day from 2000 days before the period to a few days after it.
    this.dayBase = period.startSec - 2000 * DAY;
    this.dayCount = 2000 + period.days + 3;
    this.days = Buffer.alloc(this.dayCount * 10);
    for (let i = 0; i < this.dayCount; i++) {
      this.days.write(new Date((this.dayBase + i * DAY) * 1000).toISOString().slice(0, 10), i * 10, 'latin1');
    }
  }

  get isEmpty(): boolean {
    return this.rows === 0;
  }

  /** Ends the row; true when the chunk is full. */
  end(): boolean {
    this.buf[this.pos - 1] = NEWLINE; // replaces the trailing comma of the last field
    this.rows += 1;
    return this.pos >= this.limit;
  }

  take(): Chunk {
    const chunk = { bytes: this.buf.subarray(0, this.pos), rows: this.rows };
    this.buf = Buffer.allocUnsafe(this.size);
    this.pos = 0;
    this.rows = 0;
    return chunk;
  }

  /** NULL. */
  null(): this {
    this.buf[this.pos++] = COMMA;
    return this;
  }

  /** A non-negative integer. */
  int(value: number): this {
    this.digits(value);
    this.buf[this.pos++] = COMMA;
    return this;
  }

  /** Integer cents as a decimal with two places (12345 -> 123.45). */
  cents(value: number): this {
    let v = value;
    if (v < 0) {
      this.buf[this.pos++] = 0x2d;
      v = -v;
    }
    const whole = Math.floor(v / 100);
    const fraction = v - whole * 100;
    this.digits(whole);
    this.buf[this.pos++] = 0x2e;
    this.buf[this.pos++] = ZERO + Math.floor(fraction / 10);
    this.buf[this.pos++] = ZERO + (fraction % 10);
    this.buf[this.pos++] = COMMA;
    return this;
  }

  /** A value known to be plain ASCII without CSV specials: enum words, codes, formatted numbers. */
  ascii(value: string): this {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < value.length; i++) b[p++] = value.charCodeAt(i);
    b[p++] = COMMA;
    this.pos = p;
    return this;
  }

  /** A text value, quoted when it holds a comma, quote or line break; '' stays distinct from NULL. */
  text(value: string): this {
    let special = value.length === 0;
    for (let i = 0; i < value.length && !special; i++) {
      const c = value.charCodeAt(i);
      special = c === QUOTE || c === COMMA || c === NEWLINE || c === 0x0d;
    }
    if (special) {
      this.buf[this.pos++] = QUOTE;
      this.utf8(value.replace(/"/g, '""'));
      this.buf[this.pos++] = QUOTE;
    } else {
      this.utf8(value);
    }
    this.buf[this.pos++] = COMMA;
    return this;
  }

  textOrNull(value: string | null): this {
    return value === null ? this.null() : this.text(value);
  }

  /** A text[] of plain words as one field: {vip,newsletter}. */
  textArray(values: readonly string[]): this {
    return values.length === 0 ? this.ascii('{}') : this.text(`{${values.join(',')}}`);
  }

  bool(value: boolean): this {
    this.buf[this.pos++] = value ? 0x74 : 0x66;
    this.buf[this.pos++] = COMMA;
    return this;
  }

  /** `YYYY-MM-DD HH:MM:SS+00` for whole seconds since the epoch. */
  timestamp(sec: number): this {
    const offset = sec - this.dayBase;
    const day = Math.floor(offset / DAY);
    if (day < 0 || day >= this.dayCount) return this.ascii(new Date(sec * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+00'));
    this.copyDay(day);
    let rest = offset - day * DAY;
    const hours = Math.floor(rest / 3600);
    rest -= hours * 3600;
    const minutes = Math.floor(rest / 60);
    const seconds = rest - minutes * 60;
    const b = this.buf;
    let p = this.pos;
    b[p++] = 0x20;
    b[p++] = ZERO + Math.floor(hours / 10);
    b[p++] = ZERO + (hours % 10);
    b[p++] = 0x3a;
    b[p++] = ZERO + Math.floor(minutes / 10);
    b[p++] = ZERO + (minutes % 10);
    b[p++] = 0x3a;
    b[p++] = ZERO + Math.floor(seconds / 10);
    b[p++] = ZERO + (seconds % 10);
    b[p++] = 0x2b;
    b[p++] = ZERO;
    b[p++] = ZERO;
    b[p++] = COMMA;
    this.pos = p;
    return this;
  }

  timestampOrNull(sec: number | null): this {
    return sec === null ? this.null() : this.timestamp(sec);
  }

  /** `YYYY-MM-DD` of a time (UTC). */
  date(sec: number): this {
    const day = Math.floor((sec - this.dayBase) / DAY);
    if (day < 0 || day >= this.dayCount) return this.ascii(new Date(sec * 1000).toISOString().slice(0, 10));
    this.copyDay(day);
    this.buf[this.pos++] = COMMA;
    return this;
  }

  /** UTF-8 by hand: for the short strings here it is faster than a Buffer.write call each. */
  private utf8(value: string): void {
    if (value.length > 256) {
      this.pos += this.buf.write(value, this.pos, 'utf8');
      return;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < value.length; i++) {
      let c = value.charCodeAt(i);
      if (c < 0x80) {
        b[p++] = c;
      } else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
        const low = value.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          i += 1;
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          b[p++] = 0xf0 | (c >> 18);
          b[p++] = 0x80 | ((c >> 12) & 0x3f);
          b[p++] = 0x80 | ((c >> 6) & 0x3f);
          b[p++] = 0x80 | (c & 0x3f);
        } else {
          b[p++] = 0xef; // lone surrogate: U+FFFD, as Buffer.write would
          b[p++] = 0xbf;
          b[p++] = 0xbd;
        }
      } else if (c >= 0xd800 && c <= 0xdfff) {
        b[p++] = 0xef;
        b[p++] = 0xbf;
        b[p++] = 0xbd;
      } else {
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.pos = p;
  }

  private copyDay(day: number): void {
    const from = day * 10;
    const b = this.buf;
    const d = this.days;
    let p = this.pos;
    for (let i = 0; i < 10; i++) b[p++] = d[from + i] as number;
    this.pos = p;
  }

  private digits(value: number): void {
    const b = this.buf;
    if (value < 10) {
      b[this.pos++] = ZERO + value;
      return;
    }
    let length = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) length++;
    let p = this.pos + length;
    this.pos = p;
    let v = value;
    while (v >= 10) {
      const q = Math.floor(v / 10);
      b[--p] = ZERO + (v - q * 10);
      v = q;
    }
    b[p - 1] = ZERO + v;
  }
}
