// Drawing blocks shared by every PDF report: document set-up with the embedded CJK font, headings,
// tables and vector charts. Text from customer data is passed to pdfkit as plain strings: pdfkit
// draws them as they are and interprets no markup.
import PDFDocument from 'pdfkit';
import { loadFont, type CjkFont } from './cjk-font.ts';

export type Doc = PDFKit.PDFDocument;

export const PAGE = { width: 595.28, height: 841.89, margin: 48 };
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
export const COLORS = {
  ink: '#1f2937',
  muted: '#6b7280',
  rule: '#d1d5db',
  header: '#eef2f7',
  zebra: '#f8fafc',
  accent: '#2563eb',
  accent2: '#f59e0b',
  good: '#15803d',
  bad: '#b91c1c',
  palette: ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'],
};

export function createDoc(font: CjkFont, info: { title: string; lang: string }): Doc {
  const doc = new PDFDocument({ size: 'A4', margin: PAGE.margin, bufferPages: true, info: { Title: info.title, Author: 'Pulse', Creator: 'Pulse reports' }, lang: info.lang });
  // pdfkit takes a parsed fontkit font as a font source (its types only list files and buffers).
  doc.registerFont('body', loadFont(font.regular) as Buffer);
  doc.registerFont('bold', loadFont(font.bold) as Buffer);
  doc.font('body').fillColor(COLORS.ink);
  return doc;
}

export function toBuffer(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export function heading(doc: Doc, text: string, size = 14): void {
  ensureSpace(doc, size * 3);
  doc.moveDown(0.6).font('bold').fontSize(size).fillColor(COLORS.ink).text(text, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3).font('body');
}

export function paragraph(doc: Doc, text: string, options: { size?: number; color?: string } = {}): void {
  doc.font('body').fontSize(options.size ?? 10).fillColor(options.color ?? COLORS.ink).text(text, PAGE.margin, doc.y, { width: CONTENT_WIDTH, lineGap: 2 });
}

/** Starts a new page if fewer than `height` points are left on this one. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > PAGE.height - PAGE.margin - 20) doc.addPage();
}

/** Cuts text to fit `width` at the current font and size, with an ellipsis. */
export function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(chars.slice(0, mid).join('') + '…') <= width) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('') + '…';
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface CellStyle {
  color?: string;
}

/** A table with a shaded header row, zebra rows and text cut to its column; repeats the header on a new page. */
export function table(doc: Doc, columns: Column[], rows: (string | { text: string; color?: string })[][], options: { size?: number; rowHeight?: number } = {}): void {
  const size = options.size ?? 8.5;
  const rowHeight = options.rowHeight ?? size * 2;
  const pad = 4;
  const drawHeader = (): void => {
    const y = doc.y;
    doc.rect(PAGE.margin, y, CONTENT_WIDTH, rowHeight).fill(COLORS.header);
    let x = PAGE.margin;
    doc.font('bold').fontSize(size).fillColor(COLORS.ink);
    for (const c of columns) {
      doc.text(fit(doc, c.header, c.width - 2 * pad), x + pad, y + (rowHeight - size) / 2 - 1, { width: c.width - 2 * pad, align: c.align ?? 'left', lineBreak: false });
      x += c.width;
    }
    doc.y = y + rowHeight;
  };
  ensureSpace(doc, rowHeight * 3);
  drawHeader();
  rows.forEach((row, r) => {
    if (doc.y + rowHeight > PAGE.height - PAGE.margin - 20) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    if (r % 2 === 1) doc.rect(PAGE.margin, y, CONTENT_WIDTH, rowHeight).fill(COLORS.zebra);
    let x = PAGE.margin;
    doc.font('body').fontSize(size);
    row.forEach((cell, i) => {
      const c = columns[i]!;
      const { text, color } = typeof cell === 'string' ? { text: cell, color: undefined } : cell;
      doc.fillColor(color ?? COLORS.ink).text(fit(doc, text, c.width - 2 * pad), x + pad, y + (rowHeight - size) / 2 - 1, { width: c.width - 2 * pad, align: c.align ?? 'left', lineBreak: false });
      x += c.width;
    });
    doc.y = y + rowHeight;
  });
  doc.moveTo(PAGE.margin, doc.y).lineTo(PAGE.margin + CONTENT_WIDTH, doc.y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
  doc.x = PAGE.margin;
  doc.moveDown(0.5);
}

/** Round axis steps (1, 2, 2.5, 5 × 10^n) so gridlines read as plain numbers. */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = integer ? Math.max(1, max / count) : max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw && (!integer || Number.isInteger(s)))!;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

/** Vertical bars with a value axis, gridlines and category labels, all vectors. */
export function barChart(
  doc: Doc,
  data: { label: string; value: number }[],
  options: { height: number; formatAxis: (v: number) => string; color?: string; integer?: boolean },
): void {
  const height = options.height;
  ensureSpace(doc, height + 30);
  const top = doc.y + 4;
  const axisWidth = 62;
  const left = PAGE.margin + axisWidth;
  const width = CONTENT_WIDTH - axisWidth;
  const plotHeight = height - 22;
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.value)), 4, options.integer ?? false);
  const max = ticks[ticks.length - 1]!;
  doc.fontSize(7).font('body');
  for (const t of ticks) {
    const y = top + plotHeight - (t / max) * plotHeight;
    doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
    doc.fillColor(COLORS.muted).text(options.formatAxis(t), PAGE.margin, y - 4, { width: axisWidth - 6, align: 'right', lineBreak: false });
  }
  const slot = width / Math.max(1, data.length);
  const labelEvery = Math.ceil(data.length / 12);
  data.forEach((d, i) => {
    const h = (Math.max(0, d.value) / max) * plotHeight;
    const x = left + i * slot + slot * 0.15;
    doc.rect(x, top + plotHeight - h, slot * 0.7, h).fill(options.color ?? COLORS.accent);
    if (i % labelEvery === 0) {
      doc.fillColor(COLORS.muted).text(d.label, left + i * slot - 4, top + plotHeight + 4, { width: slot + 8, align: 'center', lineBreak: false });
    }
  });
  doc.moveTo(left, top + plotHeight).lineTo(left + width, top + plotHeight).lineWidth(0.8).strokeColor(COLORS.ink).stroke();
  doc.y = top + height + 6;
  doc.x = PAGE.margin;
}

/** Horizontal bars, one row per item, each with its label and value; several series side by side. */
export function horizontalBars(
  doc: Doc,
  items: { label: string; values: number[] }[],
  series: { name: string; format: (v: number) => string; color: string }[],
): void {
  const rowHeight = 12 * series.length + 8;
  ensureSpace(doc, rowHeight * items.length + 24);
  const labelWidth = 130;
  const valueWidth = 78;
  const barWidth = (CONTENT_WIDTH - labelWidth - valueWidth) / 1;
  const maxes = series.map((_, s) => Math.max(1e-9, ...items.map((it) => it.values[s] ?? 0)));
  // Legend
  let lx = PAGE.margin + labelWidth;
  const ly = doc.y;
  doc.fontSize(7.5);
  series.forEach((s) => {
    doc.rect(lx, ly + 1, 8, 8).fill(s.color);
    doc.fillColor(COLORS.muted).text(s.name, lx + 11, ly, { lineBreak: false });
    lx += 11 + doc.widthOfString(s.name) + 16;
  });
  let y = ly + 16;
  for (const item of items) {
    doc.font('body').fontSize(8).fillColor(COLORS.ink).text(fit(doc, item.label, labelWidth - 8), PAGE.margin, y + rowHeight / 2 - 6, { width: labelWidth - 8, lineBreak: false });
    series.forEach((s, i) => {
      const v = item.values[i] ?? 0;
      const by = y + 4 + i * 12;
      const w = Math.max(0.5, (Math.max(0, v) / maxes[i]!) * (barWidth - 4));
      doc.rect(PAGE.margin + labelWidth, by, w, 9).fill(s.color);
      doc.fontSize(7).fillColor(COLORS.muted).text(s.format(v), PAGE.margin + labelWidth + w + 4, by + 1, { width: valueWidth, lineBreak: false });
    });
    y += rowHeight;
  }
  doc.y = y + 4;
  doc.x = PAGE.margin;
}

/** Title line at the top of a content page and "page n of N" at the foot of every page. */
export function pageFurniture(doc: Doc, left: string, pageLabel: (n: number, total: number) => string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Drawing in the bottom margin must not start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(7.5).fillColor(COLORS.muted);
    doc.moveTo(PAGE.margin, PAGE.height - 34).lineTo(PAGE.width - PAGE.margin, PAGE.height - 34).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
    doc.text(left, PAGE.margin, PAGE.height - 28, { width: CONTENT_WIDTH / 2, lineBreak: false });
    doc.text(pageLabel(i + 1, range.count), PAGE.margin + CONTENT_WIDTH / 2, PAGE.height - 28, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}
