// `COPY … TO STDOUT` read straight off the connection's socket into large chunks of whole rows.
//
// Why not pg-copy-streams' `to()`: it hands every CopyData message (one per row) to JavaScript as a
// Buffer of its own and concatenates them again, so a 32M-row sync spent ~15 s of main-thread CPU and
// ~5 s of garbage collection on allocation alone (profiled with --cpu-prof). Here each socket read is
// compacted in place (the 5-byte message headers cut out with copyWithin, no allocation per row) and
// appended to a preallocated chunk. PostgreSQL sends exactly one CopyData message per row in COPY TO
// (protocol docs, "COPY Operations"), so message boundaries are row boundaries and a chunk always ends
// at a row end without looking at the CSV itself.
//
// It plugs into pg the way pg-copy-streams does (pg's Submittable): on submit it takes the socket's
// 'data' listener away from pg's parser, and gives it back, with the unread bytes, at CopyDone or at an
// ErrorResponse, so pg itself handles CommandComplete, ReadyForQuery and errors.
import type pg from 'pg';

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'
const HEADER_BYTES = 5; // type byte + int32 length (which counts itself)

interface Socket {
  listeners(event: 'data'): ((data: Buffer) => void)[];
  removeListener(event: string, listener: (...args: never[]) => void): void;
  on(event: string, listener: (...args: never[]) => void): void;
  addListener(event: string, listener: (...args: never[]) => void): void;
  pause(): void;
  resume(): void;
  read(): Buffer | null;
}

/**
 * Submit with `client.query(new CopyOutChunks(sql))`, then iterate: each chunk holds whole rows and is
 * `chunkBytes` long or a little more (up to one socket read, or one row, more). A chunk is valid until the loop asks for
 * the next one: its memory is then reused (fresh 32 MB buffers made V8 run a full GC every few chunks).
 * Reading the socket pauses while a finished chunk waits for the consumer, so at most three chunks
 * exist at once.
 */
export class CopyOutChunks implements pg.Submittable, AsyncIterable<Buffer> {
  /** Rows PostgreSQL reported in its CommandComplete ("COPY n"), once done. */
  rowCount: number | null = null;

  private socket: Socket | null = null;
  private pgDataHandler: ((data: Buffer) => void) | null = null;
  private readonly onReadable = () => this.pump();
  private pumping = false;

  // Parser state: the header being read (it may span socket reads), then the message's payload.
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private messageType = 0;
  private payloadLeft = 0;

  // The chunk being filled; bytes after `chunkRowEnd` belong to a row not yet complete.
  private chunk: Buffer;
  private chunkFill = 0;
  private chunkRowEnd = 0;

  private readonly ready: { rows: Buffer; memory: Buffer }[] = [];
  /** The memory of the chunk last handed to the consumer, reused once it asks for the next one. */
  private spare: Buffer | null = null;
  private finished = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    readonly text: string,
    private readonly chunkBytes = 32 * 1024 * 1024,
  ) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  submit(connection: pg.Connection): void {
    const socket = (connection as unknown as { stream: Socket }).stream;
    const listeners = socket.listeners('data');
    if (listeners.length !== 1) throw new Error(`CopyOutChunks expects pg's one 'data' listener on the socket, found ${listeners.length}`);
    this.socket = socket;
    this.pgDataHandler = listeners[0]!;
    socket.removeListener('data', this.pgDataHandler);
    socket.pause();
    socket.on('readable', this.onReadable);
    (connection as unknown as { query(text: string): void }).query(this.text);
    this.pump();
  }

  // pg calls these once it parses the messages after CopyDone (or an error) itself.
  handleCommandComplete(message: { text?: string }): void {
    const match = /^COPY (\d+)/.exec(message.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }

  handleReadyForQuery(): void {
    this.finished = true;
    this.notify();
  }

  handleError(error: Error): void {
    this.failure = error;
    this.detach(Buffer.alloc(0));
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const next = this.ready.shift();
      if (next) {
        this.pump();
        yield next.rows;
        this.spare = next.memory;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.finished) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Reads the socket while no finished chunk is waiting for the consumer. */
  private pump(): void {
    if (this.pumping || !this.socket) return;
    this.pumping = true;
    let data: Buffer | null;
    while (this.socket && this.ready.length === 0 && (data = this.socket.read()) !== null) this.parse(data);
    this.pumping = false;
  }

  private parse(data: Buffer): void {
    let read = 0; // next unparsed byte of `data`
    let write = 0; // end of the payload bytes compacted to the front of `data`
    let rowEnd = -1; // `write` at the end of the last complete row in `data`
    while (read < data.length) {
      if (this.headerFill < HEADER_BYTES) {
        const headerStart = read;
        while (this.headerFill < HEADER_BYTES && read < data.length) this.header[this.headerFill++] = data[read++]!;
        if (this.headerFill < HEADER_BYTES) break;
        this.messageType = this.header[0]!;
        if (this.messageType === ERROR_RESPONSE) {
          // Let pg parse the error (it then calls handleError): give it the header and what follows.
          const startsHere = read - headerStart === HEADER_BYTES;
          this.appendRows(data, write, rowEnd);
          this.detach(startsHere ? data.subarray(headerStart) : Buffer.concat([this.header, data.subarray(read)]));
          return;
        }
        if (this.messageType === COPY_DONE) {
          this.appendRows(data, write, rowEnd);
          this.flush();
          this.detach(data.subarray(read));
          return;
        }
        this.payloadLeft = this.header.readUInt32BE(1) - 4;
      }
      // The message's payload (CopyData: part of a row, compacted; anything else: skipped).
      const n = Math.min(this.payloadLeft, data.length - read);
      if (this.messageType === COPY_DATA) {
        if (write !== read) data.copyWithin(write, read, read + n);
        write += n;
      }
      read += n;
      this.payloadLeft -= n;
      if (this.payloadLeft === 0) {
        // Message complete: a CopyData message is one whole row; the next byte starts a header.
        if (this.messageType === COPY_DATA) rowEnd = write;
        this.headerFill = 0;
      }
    }
    this.appendRows(data, write, rowEnd);
  }

  /** Appends data[0, write) to the chunk; rows up to data[rowEnd] are complete (-1: none completed). */
  private appendRows(data: Buffer, write: number, rowEnd: number): void {
    if (write === 0) return;
    if (this.chunkFill + write > this.chunk.length) {
      this.flush();
      if (this.chunkFill + write > this.chunk.length) {
        // A row longer than a chunk: grow this one to hold it.
        const bigger = Buffer.allocUnsafe(this.chunkFill + write);
        this.chunk.copy(bigger, 0, 0, this.chunkFill);
        this.chunk = bigger;
      }
    }
    this.chunk.set(data.subarray(0, write), this.chunkFill);
    if (rowEnd >= 0) this.chunkRowEnd = this.chunkFill + rowEnd;
    this.chunkFill += write;
  }

  /** Hands the chunk's complete rows to the consumer; a partial row moves to the next chunk. */
  private flush(): void {
    if (this.chunkRowEnd === 0) return;
    const size = Math.max(this.chunkBytes, this.chunkFill - this.chunkRowEnd);
    const next = this.spare && this.spare.length >= size ? this.spare : Buffer.allocUnsafe(size);
    this.spare = null;
    this.chunk.copy(next, 0, this.chunkRowEnd, this.chunkFill);
    this.ready.push({ rows: this.chunk.subarray(0, this.chunkRowEnd), memory: this.chunk });
    this.chunkFill -= this.chunkRowEnd;
    this.chunkRowEnd = 0;
    this.chunk = next;
    this.notify();
  }

  /** Gives the socket back to pg's parser, starting with `unread`. */
  private detach(unread: Buffer): void {
    const socket = this.socket;
    const handler = this.pgDataHandler;
    if (!socket || !handler) return;
    this.socket = null;
    this.pgDataHandler = null;
    socket.removeListener('readable', this.onReadable);
    socket.addListener('data', handler);
    if (unread.length > 0) handler(unread);
    // As pg-copy-streams does: resume on the next tick, after pg's handler has run.
    process.nextTick(() => socket.resume());
  }
}
