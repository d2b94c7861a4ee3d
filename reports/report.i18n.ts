// Every word a report prints, in both first-class languages, and one set of number/date formatters.
import type { Language, ReportName } from './report-definitions.ts';

const en = {
  title: { executive: 'Executive summary', segment: 'Segment report', sales: 'Sales pipeline report', service: 'Customer service report' } satisfies Record<ReportName, string>,
  period: 'Period',
  comparedWith: 'Compared with',
  generatedAt: 'Generated',
  snapshotAsOf: 'Data as of',
  currency: 'Reporting currency',
  preparedFor: 'Data visible to role',
  kpis: 'Key figures',
  metric: 'Metric',
  current: 'This period',
  previous: 'Previous period',
  change: 'Change',
  revenueTrend: 'Revenue by week',
  segmentMix: 'Segment mix (customers, revenue at risk)',
  segmentMovement: 'Segment movement since the previous model run',
  segment: 'Segment',
  customers: 'Customers',
  revenue: 'Revenue',
  revenueAtRisk: 'Revenue at risk',
  movedIn: 'Moved in',
  movedOut: 'Moved out',
  net: 'Net',
  watchlist: 'Churn watchlist: top 20 by revenue at risk',
  rank: '#',
  customer: 'Customer',
  customerId: 'Customer id',
  name: 'Name',
  email: 'E-mail',
  phone: 'Phone',
  churnRisk: 'Churn risk',
  riskShort: 'Risk',
  valueShort: 'Value 12m',
  expectedValue: 'Expected value 12m',
  drivers: 'Drivers',
  lastOrder: 'Last order',
  whatChanged: 'What changed most',
  weekStart: 'Week (Monday)',
  orders: 'Orders',
  share: 'Share',
  members: 'Members',
  profile: 'Profile',
  stage: 'Stage',
  owner: 'Owner',
  opportunities: 'Opportunities',
  value: 'Value',
  weightedValue: 'Open value',
  pipelineByStage: 'Pipeline by stage',
  pipelineByOwner: 'Open pipeline by owner',
  ticketsOpened: 'Tickets opened',
  ticketsClosed: 'Tickets closed',
  openBacklog: 'Open backlog',
  medianHoursToClose: 'Median hours to close',
  priority: 'Priority',
  ticketsByDay: 'Tickets opened per day',
  country: 'Country',
  city: 'City',
  frequency: 'Orders (lifetime)',
  monetary: 'Revenue (lifetime)',
  page: 'Page',
  of: 'of',
  none: 'None',
  noSegment: '(no segment)',
  noPreviousRun: 'No previous model run to compare with yet.',
  masked: 'Personal data is masked for this role.',
  sheet: { kpis: 'KPIs', trend: 'Trend', segments: 'Segments', watchlist: 'Watchlist', members: 'Members', stages: 'Stages', owners: 'Owners', tickets: 'Tickets', priorities: 'Priorities' },
  sentence: {
    up: 'up',
    down: 'down',
    flat: 'unchanged',
    metricChange: (label: string, direction: string, pct: string, previous: string) => `${label} ${direction} ${pct} on the previous period (from ${previous}).`,
    drivenBy: (channel: string, delta: string) => ` The largest contribution came from the ${channel} channel (${delta}).`,
    moved: (n: string, from: string, to: string) => `${n} customers moved from “${from}” to “${to}”, the largest movement between segments.`,
    atRisk: (n: string, amount: string) => `${n} customers are in the high churn-risk band, with ${amount} of expected revenue at risk.`,
  },
};

type Strings = typeof en;

const zh: Strings = {
  title: { executive: '管理层摘要', segment: '客户分群报告', sales: '销售机会报告', service: '客户服务报告' },
  period: '报告期',
  comparedWith: '对比期',
  generatedAt: '生成时间',
  snapshotAsOf: '数据截至',
  currency: '报表币种',
  preparedFor: '数据权限角色',
  kpis: '关键指标',
  metric: '指标',
  current: '本期',
  previous: '上期',
  change: '变化',
  revenueTrend: '每周收入',
  segmentMix: '客户分群构成（客户数、风险收入）',
  segmentMovement: '与上次模型运行相比的分群变动',
  segment: '分群',
  customers: '客户数',
  revenue: '收入',
  revenueAtRisk: '风险收入',
  movedIn: '迁入',
  movedOut: '迁出',
  net: '净变化',
  watchlist: '流失预警名单：风险收入前 20 名',
  rank: '序号',
  customer: '客户',
  customerId: '客户编号',
  name: '姓名',
  email: '电子邮箱',
  phone: '电话',
  churnRisk: '流失风险',
  riskShort: '风险',
  valueShort: '12个月价值',
  expectedValue: '未来 12 个月预期价值',
  drivers: '主要原因',
  lastOrder: '最近下单',
  whatChanged: '主要变化',
  weekStart: '周（周一）',
  orders: '订单数',
  share: '占比',
  members: '成员',
  profile: '概况',
  stage: '阶段',
  owner: '负责人',
  opportunities: '机会数',
  value: '金额',
  weightedValue: '未结金额',
  pipelineByStage: '各阶段销售机会',
  pipelineByOwner: '各负责人未结机会',
  ticketsOpened: '新建工单',
  ticketsClosed: '已关闭工单',
  openBacklog: '未结工单',
  medianHoursToClose: '关闭时长中位数（小时）',
  priority: '优先级',
  ticketsByDay: '每日新建工单',
  country: '国家/地区',
  city: '城市',
  frequency: '累计订单数',
  monetary: '累计收入',
  page: '第',
  of: '页，共',
  none: '无',
  noSegment: '（未分群）',
  noPreviousRun: '尚无上一次模型运行可供对比。',
  masked: '该角色无权查看个人信息，已做脱敏处理。',
  sheet: { kpis: '关键指标', trend: '趋势', segments: '客户分群', watchlist: '流失预警', members: '分群成员', stages: '阶段', owners: '负责人', tickets: '工单', priorities: '优先级' },
  sentence: {
    up: '上升',
    down: '下降',
    flat: '持平',
    metricChange: (label, direction, pct, previous) => `${label}较上期${direction} ${pct}（上期为 ${previous}）。`,
    drivenBy: (channel, delta) => `其中贡献最大的是${channel}渠道（${delta}）。`,
    moved: (n, from, to) => `${n} 位客户从“${from}”转入“${to}”，是分群之间最大的一次变动。`,
    atRisk: (n, amount) => `${n} 位客户处于高流失风险，预期风险收入 ${amount}。`,
  },
};

export function strings(lang: Language): Strings {
  return lang === 'zh-CN' ? zh : en;
}

const CHANNELS: Record<string, { en: string; 'zh-CN': string }> = {
  web: { en: 'web', 'zh-CN': '官网' },
  app: { en: 'app', 'zh-CN': 'App' },
  store: { en: 'store', 'zh-CN': '门店' },
  phone: { en: 'phone', 'zh-CN': '电话' },
  wechat: { en: 'WeChat', 'zh-CN': '微信' },
  marketplace: { en: 'marketplace', 'zh-CN': '电商平台' },
};

const DRIVERS: Record<string, { en: string; 'zh-CN': string }> = {
  log_recency_days: { en: 'long since last order', 'zh-CN': '久未下单' },
  log_frequency: { en: 'few orders', 'zh-CN': '订单少' },
  log_monetary: { en: 'low spend', 'zh-CN': '消费低' },
  log_tenure_days: { en: 'tenure', 'zh-CN': '客户时长' },
  log_orders_90d: { en: 'few recent orders', 'zh-CN': '近期订单少' },
  log_interactions_90d: { en: 'fewer interactions', 'zh-CN': '互动减少' },
  log_tickets_90d: { en: 'support tickets', 'zh-CN': '服务工单' },
  log_campaign_opens_90d: { en: 'stopped opening campaigns', 'zh-CN': '不再打开营销邮件' },
};

const STAGES: Record<string, { en: string; 'zh-CN': string }> = {
  lead: { en: 'Lead', 'zh-CN': '线索' },
  qualified: { en: 'Qualified', 'zh-CN': '已确认' },
  proposal: { en: 'Proposal', 'zh-CN': '方案' },
  negotiation: { en: 'Negotiation', 'zh-CN': '谈判' },
  won: { en: 'Won', 'zh-CN': '赢单' },
  lost: { en: 'Lost', 'zh-CN': '丢单' },
};

const PRIORITIES: Record<string, { en: string; 'zh-CN': string }> = {
  low: { en: 'Low', 'zh-CN': '低' },
  normal: { en: 'Normal', 'zh-CN': '普通' },
  high: { en: 'High', 'zh-CN': '高' },
  urgent: { en: 'Urgent', 'zh-CN': '紧急' },
};

/** A code (channel, driver, stage, priority) in the reader's language; unknown codes print as they are. */
export function labelOf(kind: 'channel' | 'driver' | 'stage' | 'priority', code: string | null, lang: Language): string {
  if (code === null) return '';
  const table = kind === 'channel' ? CHANNELS : kind === 'driver' ? DRIVERS : kind === 'stage' ? STAGES : PRIORITIES;
  return table[code]?.[lang] ?? code;
}

export interface Formatters {
  money(value: number | null): string;
  count(value: number | null): string;
  percent(value: number | null, digits?: number): string;
  signedPercent(value: number | null): string;
  date(value: string): string;
  dateTime(value: Date, timeZone: string): string;
}

export function formatters(lang: Language, currency: string): Formatters {
  const money = new Intl.NumberFormat(lang, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const count = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  return {
    money: (v) => (v === null ? '–' : money.format(v)),
    count: (v) => (v === null ? '–' : count.format(v)),
    percent: (v, digits = 1) => (v === null ? '–' : `${(v * 100).toFixed(digits)}%`),
    signedPercent: (v) => (v === null || !Number.isFinite(v) ? '–' : `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}%`),
    date: (v) => v,
    dateTime: (v, timeZone) =>
      new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short', hour12: false }).format(v) + ` (${timeZone})`,
  };
}
