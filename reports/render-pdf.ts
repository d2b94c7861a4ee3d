// The PDF of each report, laid out from the data report-data.ts builds. A4, set in the embedded CJK
// font throughout (customer names may be Chinese in an English report), charts drawn as vectors.
import type { CjkFont } from './cjk-font.ts';
import { COLORS, CONTENT_WIDTH, PAGE, barChart, createDoc, heading, horizontalBars, pageFurniture, paragraph, table, toBuffer, type Column, type Doc } from './pdf-layout.ts';
import type { ExecutiveData, KpiRow, ReportData, ReportMeta, SalesData, SegmentReportData, ServiceData, WatchRow } from './report-data.ts';
import { formatters, strings, type Formatters } from './report.i18n.ts';

export async function renderPdf(data: ReportData, font: CjkFont): Promise<Buffer> {
  const t = strings(data.meta.lang);
  const doc = createDoc(font, { title: t.title[data.meta.report], lang: data.meta.lang });
  const f = formatters(data.meta.lang, data.meta.currency);
  cover(doc, data.meta, f);
  switch (data.kind) {
    case 'executive':
      executive(doc, data, f);
      break;
    case 'segment':
      segment(doc, data, f);
      break;
    case 'sales':
      sales(doc, data, f);
      break;
    case 'service':
      service(doc, data, f);
      break;
  }
  const footer = `Pulse · ${t.title[data.meta.report]} · ${data.meta.from} – ${data.meta.to}`;
  pageFurniture(doc, footer, (n, total) => (data.meta.lang === 'zh-CN' ? `第 ${n} 页，共 ${total} 页` : `Page ${n} of ${total}`));
  return toBuffer(doc);
}

function cover(doc: Doc, meta: ReportMeta, f: Formatters): void {
  const t = strings(meta.lang);
  doc.rect(0, 0, PAGE.width, 150).fill('#0f2a4a');
  doc.font('bold').fontSize(11).fillColor('#9fb7d4').text('PULSE', PAGE.margin, 44, { characterSpacing: 2 });
  doc.font('bold').fontSize(26).fillColor('#ffffff').text(t.title[meta.report], PAGE.margin, 64, { width: CONTENT_WIDTH });
  doc.font('body').fontSize(12).fillColor('#dbe6f3').text(`${t.period}: ${meta.from} – ${meta.to}`, PAGE.margin, 104, { width: CONTENT_WIDTH });
  doc.y = 168;
  const facts: [string, string][] = [
    [t.comparedWith, `${meta.previousFrom} – ${meta.previousTo}`],
    [t.snapshotAsOf, meta.asOf],
    [t.generatedAt, f.dateTime(meta.generatedAt, meta.timeZone)],
    [t.currency, meta.currency],
    [t.preparedFor, meta.role + (meta.masked ? ` · ${t.masked}` : '')],
  ];
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font('body').fontSize(9).fillColor(COLORS.muted).text(label, PAGE.margin, y, { width: 120, lineBreak: false });
    doc.fillColor(COLORS.ink).text(value, PAGE.margin + 120, y, { width: CONTENT_WIDTH - 120 });
    doc.y = Math.max(doc.y, y + 14);
  }
  doc.moveDown(0.5);
}

function kpiTable(doc: Doc, kpis: KpiRow[], f: Formatters, meta: ReportMeta): void {
  const t = strings(meta.lang);
  const show = (k: KpiRow, v: number | null): string => (k.unit === 'currency' ? f.money(v) : k.unit === 'ratio' ? f.percent(v) : f.count(v));
  const columns: Column[] = [
    { header: t.metric, width: 160 },
    { header: t.current, width: 115, align: 'right' },
    { header: t.previous, width: 115, align: 'right' },
    { header: t.change, width: CONTENT_WIDTH - 390, align: 'right' },
  ];
  table(
    doc,
    columns,
    kpis.map((k) => [
      k.label,
      show(k, k.value),
      k.previous === null ? '–' : show(k, k.previous),
      { text: f.signedPercent(k.change), color: k.change === null ? COLORS.muted : changeColor(k) },
    ]),
    { size: 9.5, rowHeight: 19 },
  );
}

/** Green for good news, red for bad: more lapsed customers or refunds is bad. */
function changeColor(k: KpiRow): string {
  const worseWhenUp = k.metric === 'lapsed_customers' || k.metric === 'refund_amount' || k.metric === 'refunds';
  const up = (k.change ?? 0) > 0;
  if (Math.abs(k.change ?? 0) < 0.0005) return COLORS.muted;
  return up !== worseWhenUp ? COLORS.good : COLORS.bad;
}

function whatChanged(doc: Doc, sentences: string[], meta: ReportMeta): void {
  heading(doc, strings(meta.lang).whatChanged, 13);
  for (const s of sentences) {
    const y = doc.y;
    doc.circle(PAGE.margin + 3, y + 6, 1.8).fill(COLORS.accent);
    doc.font('body').fontSize(10).fillColor(COLORS.ink).text(s, PAGE.margin + 12, y, { width: CONTENT_WIDTH - 12, lineGap: 2 });
    doc.moveDown(0.3);
  }
}

function trendChart(doc: Doc, trend: { week: string; revenue: number }[], f: Formatters, title: string): void {
  heading(doc, title, 13);
  barChart(
    doc,
    trend.map((r) => ({ label: r.week.slice(5), value: r.revenue })),
    { height: 170, formatAxis: (v) => compactMoney(v, f) },
  );
}

/** Axis labels: 1.5M, 250k, 900 (the figures themselves are in the tables, to the cent). */
function compactMoney(v: number, f: Formatters): string {
  const trim = (x: number): string => x.toFixed(1).replace(/\.0$/, '');
  if (v >= 1e6) return `${trim(v / 1e6)}M`;
  if (v >= 1e4) return `${trim(v / 1e3)}k`;
  return f.count(v);
}

function watchTable(doc: Doc, rows: WatchRow[], f: Formatters, meta: ReportMeta): void {
  const t = strings(meta.lang);
  const columns: Column[] = [
    { header: t.rank, width: 18, align: 'right' },
    { header: t.customer, width: 104 },
    { header: t.segment, width: 92 },
    { header: t.riskShort, width: 34, align: 'right' },
    { header: t.valueShort, width: 66, align: 'right' },
    { header: t.revenueAtRisk, width: 66, align: 'right' },
    { header: t.drivers, width: CONTENT_WIDTH - 380 },
  ];
  table(
    doc,
    columns,
    rows.map((r) => [
      String(r.rank),
      r.name ? `${r.name} #${r.customerId}` : `#${r.customerId}`,
      r.segment,
      `${r.churnRisk.toFixed(0)}%`,
      f.money(r.expectedValue),
      f.money(r.revenueAtRisk),
      r.drivers.slice(0, 2).join(meta.lang === 'zh-CN' ? '、' : ', '),
    ]),
    { size: 7.5, rowHeight: 17 },
  );
  if (meta.masked) paragraph(doc, t.masked, { size: 8, color: COLORS.muted });
}

function executive(doc: Doc, data: ExecutiveData, f: Formatters): void {
  const t = strings(data.meta.lang);
  whatChanged(doc, data.sentences, data.meta);
  heading(doc, t.kpis, 13);
  kpiTable(doc, data.kpis, f, data.meta);

  doc.addPage();
  trendChart(doc, data.trend, f, t.revenueTrend);
  heading(doc, t.segmentMix, 13);
  horizontalBars(
    doc,
    data.segments.map((s) => ({ label: s.name, values: [s.customers, s.revenueAtRisk] })),
    [
      { name: t.customers, format: (v) => f.count(v), color: COLORS.accent },
      { name: t.revenueAtRisk, format: (v) => f.money(v), color: COLORS.accent2 },
    ],
  );
  heading(doc, t.segmentMovement, 13);
  if (!data.hasPreviousRun) paragraph(doc, t.noPreviousRun, { size: 9, color: COLORS.muted });
  else {
    table(
      doc,
      [
        { header: t.segment, width: 200 },
        { header: t.customers, width: 80, align: 'right' },
        { header: t.movedIn, width: 70, align: 'right' },
        { header: t.movedOut, width: 70, align: 'right' },
        { header: t.net, width: CONTENT_WIDTH - 420, align: 'right' },
      ],
      data.segments.map((s) => {
        const net = s.movedIn - s.movedOut;
        return [s.name, f.count(s.customers), f.count(s.movedIn), f.count(s.movedOut), { text: `${net > 0 ? '+' : ''}${f.count(net)}`, color: net === 0 ? COLORS.muted : net > 0 ? COLORS.good : COLORS.bad }];
      }),
      { size: 8.5, rowHeight: 16 },
    );
  }

  doc.addPage();
  heading(doc, t.watchlist, 13);
  watchTable(doc, data.watchlist, f, data.meta);
}

function segment(doc: Doc, data: SegmentReportData, f: Formatters): void {
  const t = strings(data.meta.lang);
  heading(doc, `${t.segment}: ${data.segment.name}`, 16);
  heading(doc, t.profile, 13);
  table(
    doc,
    [
      { header: t.metric, width: 260 },
      { header: t.value, width: CONTENT_WIDTH - 260, align: 'right' },
    ],
    [
      [t.customers, f.count(data.segment.customers)],
      [t.revenue, f.money(data.segment.revenue)],
      [t.revenueAtRisk, f.money(data.segment.revenueAtRisk)],
      [t.frequency, data.profile.avgOrders.toFixed(2)],
      [t.monetary, f.money(data.profile.avgRevenue)],
      [t.churnRisk, `${data.profile.avgChurnRisk.toFixed(1)}%`],
      [t.expectedValue, f.money(data.profile.avgExpectedValue)],
      [t.movedIn, f.count(data.segment.movedIn)],
      [t.movedOut, f.count(data.segment.movedOut)],
    ],
    { size: 9, rowHeight: 17 },
  );
  heading(doc, t.kpis, 13);
  kpiTable(doc, data.kpis, f, data.meta);
  doc.addPage();
  trendChart(doc, data.trend, f, t.revenueTrend);
  heading(doc, t.segmentMovement, 13);
  if (!data.hasPreviousRun || data.movement.length === 0) paragraph(doc, data.hasPreviousRun ? t.none : t.noPreviousRun, { size: 9, color: COLORS.muted });
  else
    table(
      doc,
      [
        { header: t.movedOut, width: 200 },
        { header: t.movedIn, width: 200 },
        { header: t.customers, width: CONTENT_WIDTH - 400, align: 'right' },
      ],
      data.movement.map((m) => [m.from, m.to, f.count(m.customers)]),
    );
  heading(doc, t.watchlist, 13);
  watchTable(doc, data.watchlist, f, data.meta);
}

function sales(doc: Doc, data: SalesData, f: Formatters): void {
  const t = strings(data.meta.lang);
  heading(doc, t.pipelineByStage, 13);
  barChart(doc, data.byStage.map((s) => ({ label: s.label, value: s.value })), { height: 160, formatAxis: (v) => compactMoney(v, f) });
  table(
    doc,
    [
      { header: t.stage, width: 200 },
      { header: t.opportunities, width: 120, align: 'right' },
      { header: t.value, width: CONTENT_WIDTH - 320, align: 'right' },
    ],
    data.byStage.map((s) => [s.label, f.count(s.opportunities), f.money(s.value)]),
    { size: 9, rowHeight: 17 },
  );
  heading(doc, t.pipelineByOwner, 13);
  table(
    doc,
    [
      { header: t.owner, width: 200 },
      { header: t.opportunities, width: 120, align: 'right' },
      { header: t.weightedValue, width: CONTENT_WIDTH - 320, align: 'right' },
    ],
    data.byOwner.map((o) => [o.ownerId === null ? t.none : `#${o.ownerId}`, f.count(o.opportunities), f.money(o.value)]),
    { size: 8.5, rowHeight: 15 },
  );
}

function service(doc: Doc, data: ServiceData, f: Formatters): void {
  const t = strings(data.meta.lang);
  heading(doc, t.kpis, 13);
  table(
    doc,
    [
      { header: t.priority, width: 120 },
      { header: t.ticketsOpened, width: 90, align: 'right' },
      { header: t.ticketsClosed, width: 90, align: 'right' },
      { header: t.openBacklog, width: 90, align: 'right' },
      { header: t.medianHoursToClose, width: CONTENT_WIDTH - 390, align: 'right' },
    ],
    [
      ...data.priorities.map((p) => [p.label, f.count(p.opened), f.count(p.closed), f.count(p.backlog), p.medianHours === null ? '–' : p.medianHours.toFixed(1)]),
      ['Σ', f.count(data.totals.opened), f.count(data.totals.closed), f.count(data.totals.backlog), ''],
    ],
    { size: 9, rowHeight: 17 },
  );
  heading(doc, t.ticketsByDay, 13);
  barChart(doc, data.perDay.map((d) => ({ label: d.day.slice(5), value: d.opened })), { height: 170, formatAxis: (v) => f.count(v), color: COLORS.accent2, integer: true });
}
