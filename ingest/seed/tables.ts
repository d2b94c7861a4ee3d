// One CSV row generator per table of the demo schema, in load order. Each yields chunks of CSV
// lines; nothing is kept beyond the chunk being built and the per-customer facts in the context.
import {
  ActivityProfile,
  EVENT_TYPES,
  drawCampaignEvents,
  interactionCount,
  isAudienceMember,
  isHoldout,
  newCampaignEvents,
  opportunityCount,
  ticketCounts,
  type TicketCounts,
} from './activity.ts';
import { DAY } from './calendar.ts';
import { CURRENCIES, type Campaign } from './catalog.ts';
import { NEVER_U32, type SeedContext } from './context.ts';
import type { DemoTable } from './seed-queries.ts';
import { CsvWriter, type Chunk } from './csv.ts';
import {
  MARKETS,
  MARKET_CURRENCY,
  MARKET_CURRENCY_INDEX,
  NEVER,
  ORDER_CHANNELS,
  ORDER_CHANNEL_WEIGHTS,
  STREAM,
  isOrderDeleted,
  itemCount,
  type CustomerModel,
} from './model.ts';
import { chineseName, companyName, customerAddress, customerEmail, customerPhone, pickCity, westernName } from './people.ts';
import { Random, cumulative, hashUnit } from './random.ts';
import {
  complaintSubjects,
  inboundSubjects,
  industries,
  industryWeights,
  opportunityNames,
  outboundSubjects,
  ticketSubjects,
  type Bilingual,
  type Industry,
} from './vocabulary.ts';

export interface TableSource {
  table: DemoTable;
  columns: readonly string[];
  /** Rows this table will get; known once the tables before it have been generated. */
  expectedRows(): number;
  chunks(): Generator<Chunk>;
}

export function demoTables(ctx: SeedContext): TableSource[] {
  const fixed = (table: DemoTable, count: number, columns: readonly string[], chunks: () => Generator<Chunk>): TableSource => ({
    table,
    columns,
    expectedRows: () => count,
    chunks,
  });
  const known = (table: DemoTable, columns: readonly string[], chunks: () => Generator<Chunk>): TableSource => ({
    table,
    columns,
    expectedRows: () => ctx.expected.get(table) ?? 0,
    chunks,
  });
  // Campaign rows are counted by a dry run over the audience, once the customers are known.
  const counted = (table: DemoTable, columns: readonly string[], chunks: () => Generator<Chunk>): TableSource => ({
    table,
    columns,
    expectedRows: () => {
      if (!ctx.expected.has(table)) countCampaignRows(ctx);
      return ctx.expected.get(table) ?? 0;
    },
    chunks,
  });
  return [
    fixed('staff_users', ctx.staff.members.length, ['id', 'name', 'email', 'department', 'region', 'created_at', 'updated_at', 'deleted_at'], () => staffChunks(ctx)),
    fixed('products', ctx.catalog.products.length, ['id', 'sku', 'name', 'category', 'list_price', 'currency', 'created_at', 'updated_at', 'deleted_at'], () => productChunks(ctx)),
    fixed('campaigns', ctx.campaigns.length, ['id', 'name', 'channel', 'started_at', 'ended_at', 'budget', 'currency', 'created_at', 'updated_at', 'deleted_at'], () => campaignChunks(ctx)),
    fixed('fx_rates', ctx.fx.days * CURRENCIES.length, ['id', 'currency', 'rate_date', 'units_per_usd', 'updated_at', 'deleted_at'], () => fxChunks(ctx)),
    fixed('customers', ctx.customers, CUSTOMER_COLUMNS, () => customerChunks(ctx)),
    known('orders', ['id', 'customer_id', 'ordered_at', 'status', 'channel', 'currency', 'total_amount', 'created_at', 'updated_at', 'deleted_at'], () => orderChunks(ctx, 'orders')),
    known('order_items', ['id', 'order_id', 'product_id', 'quantity', 'unit_price', 'amount', 'updated_at', 'deleted_at'], () => orderChunks(ctx, 'order_items')),
    known('interactions', ['id', 'customer_id', 'staff_id', 'channel', 'direction', 'subject', 'occurred_at', 'updated_at', 'deleted_at'], () => interactionChunks(ctx)),
    known('tickets', ['id', 'customer_id', 'subject', 'status', 'priority', 'opened_at', 'closed_at', 'updated_at', 'deleted_at'], () => ticketChunks(ctx)),
    known('opportunities', ['id', 'customer_id', 'owner_id', 'name', 'stage', 'value', 'currency', 'expected_close', 'created_at', 'updated_at', 'deleted_at'], () => opportunityChunks(ctx)),
    counted('campaign_audience', ['id', 'campaign_id', 'customer_id', 'is_holdout', 'updated_at', 'deleted_at'], () => audienceChunks(ctx)),
    counted('campaign_events', ['id', 'campaign_id', 'customer_id', 'event_type', 'occurred_at', 'updated_at', 'deleted_at'], () => eventChunks(ctx)),
  ];
}

const CUSTOMER_COLUMNS = [
  'id', 'name', 'email', 'phone', 'company', 'industry', 'country', 'region', 'city', 'address', 'preferred_language',
  'currency', 'tags', 'owner_id', 'created_at', 'updated_at', 'deleted_at',
] as const;

function* staffChunks(ctx: SeedContext): Generator<Chunk> {
  const out = new CsvWriter(ctx.period);
  for (const s of ctx.staff.members) {
    out.int(s.id).text(s.name).text(s.email).ascii(s.department).textOrNull(s.region).timestamp(s.createdAt).timestamp(s.updatedAt).null().end();
  }
  yield out.take();
}

function* productChunks(ctx: SeedContext): Generator<Chunk> {
  const out = new CsvWriter(ctx.period);
  for (const p of ctx.catalog.products) {
    out.int(p.id).text(p.sku).text(p.name).text(p.category).cents(p.listCents).ascii('USD').timestamp(p.createdAt).timestamp(p.updatedAt).null().end();
  }
  yield out.take();
}

function* campaignChunks(ctx: SeedContext): Generator<Chunk> {
  const out = new CsvWriter(ctx.period);
  for (const c of ctx.campaigns) {
    out.int(c.id).text(c.name).ascii(c.channel).timestamp(c.startedAt).timestampOrNull(c.endedAt).cents(c.budget * 100).ascii(c.currency);
    out.timestamp(c.createdAt).timestamp(c.updatedAt).null().end();
  }
  yield out.take();
}

function* fxChunks(ctx: SeedContext): Generator<Chunk> {
  const out = new CsvWriter(ctx.period);
  const { fx, period } = ctx;
  const currencies = [...CURRENCIES].sort();
  let id = 0;
  for (let day = 0; day < fx.days; day++) {
    const daySec = fx.firstDaySec + day * DAY;
    // Published the next morning, or just before asOf for the latest days.
    const updated = Math.min(daySec + DAY + 3600, period.endSec - 1);
    for (const currency of currencies) {
      id += 1;
      const rate = (fx.series.get(currency) as Float64Array)[day] as number;
      if (out.int(id).ascii(currency).date(daySec).ascii(rate.toFixed(8)).timestamp(updated).null().end()) yield out.take();
    }
  }
  if (!out.isEmpty) yield out.take();
}

const INDUSTRY_WEIGHTS = cumulative(industryWeights);

function* customerChunks(ctx: SeedContext): Generator<Chunk> {
  const { simulator, facts, period, key, staff } = ctx;
  const r = new Random();
  const counter = new Random();
  const profile = new ActivityProfile();
  const tickets: TicketCounts = { base: 0, churn: 0, churnFrom: 0, churnUntil: 0 };
  const out = new CsvWriter(period);
  const emailDigits = String(ctx.customers).length;
  const endSec = period.endSec;
  let orders = 0;
  let items = 0;
  let interactions = 0;
  let ticketTotal = 0;
  let opportunities = 0;
  for (let id = 1; id <= ctx.customers; id++) {
    const m = simulator.customer(id);
    const history = simulator.purchases(m);
    for (let k = 0; k < history.count; k++) items += itemCount(key, orders + k + 1);
    orders += history.count;
    const lastOrder = history.count > 0 ? (history.times[history.count - 1] as number) : 0;

    r.reseed(key, STREAM.identity, id);
    const country = MARKETS[m.market] as (typeof MARKETS)[number];
    const person = country === 'CN' ? chineseName(r) : westernName(r, country);
    const city = pickCity(r, country);
    let industry: Industry | null = null;
    let company: string | null = null;
    if (m.b2b) {
      industry = industries[r.pickCumulative(INDUSTRY_WEIGHTS)] as Industry;
      company = companyName(r, country, city, industry);
    }
    const email = r.chance(0.95) ? customerEmail(r, country, person, id, key, emailDigits) : null;
    const phone = r.chance(m.isCn ? 0.95 : 0.8) ? customerPhone(r, country, city, id, key >>> 3) : null;
    const address = r.chance(m.b2b ? 0.95 : 0.7) ? customerAddress(r, country, city) : null;
    const tags: string[] = [];
    if (m.whale || m.priceLevel > 1.6) tags.push('vip');
    if (m.wholesale) tags.push('wholesale');
    if (m.b2b) tags.push(m.isCn ? '企业客户' : 'b2b');
    if (r.chance(m.isCn ? 0.15 : 0.35)) tags.push('newsletter');
    if (m.isCn && r.chance(0.3)) tags.push('会员');
    if (m.b2b && r.chance(0.08)) tags.push('reseller');
    const team = staff.salesByRegion.get(city.region);
    const owner = team && (m.b2b || r.chance(0.85)) ? (team[Math.floor(hashUnit(key, STREAM.owner, id) * team.length)] as number) : 0;

    const lastActivity = Math.max(m.acquiredAt, lastOrder);
    let deletedAt = 0;
    if (m.deleted) deletedAt = Math.min(endSec - 1, lastActivity + 3600 + Math.floor(r.next() * Math.max(0, endSec - 1 - lastActivity - 3600)));
    const updatedAt = deletedAt || (r.chance(0.5) ? m.acquiredAt + Math.floor(r.next() * (endSec - 1 - m.acquiredAt)) : m.acquiredAt);

    facts.market[id] = m.market;
    facts.acquiredAt[id] = m.acquiredAt;
    facts.stopAt[id] = history.stopAt === NEVER ? NEVER_U32 : history.stopAt;
    facts.lastOrderAt[id] = lastOrder;
    facts.activeUntil[id] = deletedAt || endSec;
    facts.owner[id] = owner;
    facts.hasOrders[id] = history.count > 0 ? 1 : 0;

    interactions += interactionCount(ctx, counter, profile, m);
    ticketCounts(ctx, counter, profile, m, tickets);
    ticketTotal += tickets.base + tickets.churn;
    opportunities += opportunityCount(ctx, counter, profile, m);

    out.int(id).text(person.name).textOrNull(email).textOrNull(phone).textOrNull(company).textOrNull(industry);
    out.ascii(country).text(city.region).text(city.city).textOrNull(address).ascii(m.isCn ? 'zh-CN' : 'en');
    out.ascii(MARKET_CURRENCY[m.market] as string).textArray(tags);
    if (owner) out.int(owner);
    else out.null();
    out.timestamp(m.acquiredAt).timestamp(updatedAt).timestampOrNull(deletedAt || null);
    if (out.end()) yield out.take();
  }
  if (!out.isEmpty) yield out.take();
  ctx.expected.set('orders', orders);
  ctx.expected.set('order_items', items);
  ctx.expected.set('interactions', interactions);
  ctx.expected.set('tickets', ticketTotal);
  ctx.expected.set('opportunities', opportunities);
}

/** One order and its items, drawn identically by the orders pass and the order_items pass. */
interface OrderDraw {
  channel: string;
  status: 'paid' | 'refunded' | 'cancelled';
  items: number;
  product: Int32Array;
  quantity: Int32Array;
  unitCents: Int32Array;
  totalCents: number;
  updatedAt: number;
  deletedAt: number;
}

function drawOrder(ctx: SeedContext, r: Random, m: CustomerModel, stopAt: number, orderId: number, at: number, o: OrderDraw): OrderDraw {
  const { catalog, period } = ctx;
  const endSec = period.endSec;
  o.channel = ORDER_CHANNELS[r.chance(0.7) ? m.preferredChannel : r.pickCumulative(m.isCn ? ORDER_CHANNEL_WEIGHTS.cn : ORDER_CHANNEL_WEIGHTS.west)] as string;
  // Customers about to leave ask for more refunds.
  const refundRate = stopAt !== NEVER && at > stopAt - 90 * DAY ? 0.1 : 0.03;
  const u = r.next();
  o.status = u < 0.025 ? 'cancelled' : u < 0.025 + refundRate ? 'refunded' : 'paid';
  const season = m.isCn ? ctx.seasonality.cn : ctx.seasonality.west;
  const saleDiscount = season.isSaleDay(Math.floor((at - period.startSec) / DAY)) ? 0.85 : 1;
  const priceFactor = saleDiscount * (m.wholesale ? 0.85 : 1);
  const prices = catalog.priceCents[MARKET_CURRENCY_INDEX[m.market] as number] as Int32Array;
  const byPrice = catalog.byPrice;
  const catalogSize = byPrice.length;
  o.items = itemCount(ctx.key, orderId);
  o.totalCents = 0;
  for (let i = 0; i < o.items; i++) {
    let product = 0;
    // Pick near the customer's spend level in the price-sorted catalogue; avoid repeating a line.
    for (let attempt = 0; attempt < 3; attempt++) {
      const x = 1.7 * (m.priceLevel + 0.9 * r.normal());
      const index = Math.min(catalogSize - 1, Math.floor(catalogSize / (1 + Math.exp(-x))));
      product = byPrice[index] as number;
      if (i === 0 || product !== o.product[i - 1]) break;
    }
    const q = r.next();
    const quantity = m.wholesale ? 2 + Math.min(200, Math.floor(r.exponential() * 10)) : q < 0.8 ? 1 : q < 0.94 ? 2 : 3 + r.int(3);
    const unitCents = Math.round((prices[product] as number) * priceFactor);
    o.product[i] = product;
    o.quantity[i] = quantity;
    o.unitCents[i] = unitCents;
    o.totalCents += unitCents * quantity;
  }
  let updated = o.status === 'paid' ? at + r.int(600) : o.status === 'cancelled' ? at + 600 + r.int(2 * DAY) : at + 2 * DAY + r.int(28 * DAY);
  updated = Math.min(updated, endSec - 1);
  o.deletedAt = 0;
  if (isOrderDeleted(ctx.key, orderId)) {
    o.deletedAt = Math.min(endSec - 1, updated + 3600 + r.int(30 * DAY));
    updated = o.deletedAt;
  }
  o.updatedAt = updated;
  return o;
}

function* orderChunks(ctx: SeedContext, table: 'orders' | 'order_items'): Generator<Chunk> {
  const { simulator, key } = ctx;
  const r = new Random();
  const out = new CsvWriter(ctx.period);
  const o: OrderDraw = {
    channel: '', status: 'paid', items: 0, product: new Int32Array(3), quantity: new Int32Array(3), unitCents: new Int32Array(3),
    totalCents: 0, updatedAt: 0, deletedAt: 0,
  };
  let orderId = 0;
  let itemId = 0;
  for (let id = 1; id <= ctx.customers; id++) {
    const m = simulator.customer(id);
    const history = simulator.purchases(m);
    if (history.count === 0) continue;
    r.reseed(key, STREAM.orderDetails, id);
    const currency = MARKET_CURRENCY[m.market] as string;
    for (let k = 0; k < history.count; k++) {
      orderId += 1;
      const at = history.times[k] as number;
      drawOrder(ctx, r, m, history.stopAt, orderId, at, o);
      const deleted = o.deletedAt || null;
      if (table === 'orders') {
        out.int(orderId).int(id).timestamp(at).ascii(o.status).ascii(o.channel).ascii(currency).cents(o.totalCents);
        out.timestamp(at).timestamp(o.updatedAt).timestampOrNull(deleted);
        if (out.end()) yield out.take();
      } else {
        for (let i = 0; i < o.items; i++) {
          itemId += 1;
          const unit = o.unitCents[i] as number;
          const quantity = o.quantity[i] as number;
          out.int(itemId).int(orderId).int((o.product[i] as number) + 1).int(quantity).cents(unit).cents(unit * quantity);
          out.timestamp(o.updatedAt).timestampOrNull(deleted);
          if (out.end()) yield out.take();
        }
      }
    }
  }
  if (!out.isEmpty) yield out.take();
}

const INTERACTION_CHANNELS = ['phone', 'email', 'wechat', 'web_chat', 'social', 'visit'] as const;
const CN_INTERACTION_CHANNELS = cumulative([25, 7, 40, 15, 5, 8]);
const WEST_INTERACTION_CHANNELS = cumulative([28, 40, 0, 15, 8, 9]);

function subjectFor(list: readonly Bilingual[], r: Random, isCn: boolean): string {
  const pair = r.pick(list);
  return isCn ? pair[0] : pair[1];
}

function* interactionChunks(ctx: SeedContext): Generator<Chunk> {
  const { simulator, facts, staff, period } = ctx;
  const r = new Random();
  const profile = new ActivityProfile();
  const out = new CsvWriter(period);
  const times = new Float64Array(4096);
  let rowId = 0;
  for (let id = 1; id <= ctx.customers; id++) {
    const m = simulator.customer(id);
    const n = Math.min(times.length, interactionCount(ctx, r, profile, m));
    if (n === 0) continue;
    for (let i = 0; i < n; i++) times[i] = profile.sample(r);
    times.subarray(0, n).sort();
    const group = m.isCn ? 'cn' : 'west';
    const owner = facts.owner[id] as number;
    for (let i = 0; i < n; i++) {
      rowId += 1;
      const at = times[i] as number;
      const channel = INTERACTION_CHANNELS[r.pickCumulative(m.isCn ? CN_INTERACTION_CHANNELS : WEST_INTERACTION_CHANNELS)] as string;
      const inbound = r.chance(0.45);
      let staffId: number | null;
      if (inbound) staffId = channel === 'web_chat' && r.chance(0.3) ? null : r.pick(staff.serviceByGroup[group]);
      else staffId = owner || r.pick(staff.salesByGroup[group]);
      const subject = subjectFor(inbound ? inboundSubjects : outboundSubjects, r, m.isCn);
      const updated = Math.min(period.endSec - 1, at + r.int(3600));
      out.int(rowId).int(id);
      if (staffId === null) out.null();
      else out.int(staffId);
      out.ascii(channel).ascii(inbound ? 'inbound' : 'outbound').text(subject).timestamp(at).timestamp(updated).null();
      if (out.end()) yield out.take();
    }
  }
  if (!out.isEmpty) yield out.take();
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const ROUTINE_PRIORITY = cumulative([27, 55, 15, 3]);
const COMPLAINT_PRIORITY = cumulative([10, 45, 35, 10]);
/** Mean days to resolve, by priority. */
const RESOLVE_DAYS = [6, 3, 1.5, 0.5] as const;

function* ticketChunks(ctx: SeedContext): Generator<Chunk> {
  const { simulator, period } = ctx;
  const r = new Random();
  const profile = new ActivityProfile();
  const counts: TicketCounts = { base: 0, churn: 0, churnFrom: 0, churnUntil: 0 };
  const out = new CsvWriter(period);
  const endSec = period.endSec;
  let rowId = 0;
  for (let id = 1; id <= ctx.customers; id++) {
    const m = simulator.customer(id);
    ticketCounts(ctx, r, profile, m, counts);
    const n = counts.base + counts.churn;
    for (let i = 0; i < n; i++) {
      rowId += 1;
      const complaint = i >= counts.base;
      const opened = complaint ? counts.churnFrom + r.int(counts.churnUntil - counts.churnFrom) : profile.sample(r);
      const subject = subjectFor(complaint || r.chance(0.2) ? complaintSubjects : ticketSubjects, r, m.isCn);
      const priority = r.pickCumulative(complaint ? COMPLAINT_PRIORITY : ROUTINE_PRIORITY);
      const closedAt = opened + 300 + Math.floor(r.exponential() * (RESOLVE_DAYS[priority] as number) * DAY);
      let status: string;
      let closed: number | null = null;
      let updated: number;
      if (closedAt < endSec) {
        status = r.chance(0.65) ? 'closed' : 'resolved';
        closed = closedAt;
        updated = Math.min(endSec - 1, closedAt + (status === 'closed' ? r.int(2 * DAY) : 0));
      } else {
        status = r.chance(0.6) ? 'open' : 'pending';
        updated = opened + r.int(Math.max(1, endSec - opened));
      }
      out.int(rowId).int(id).text(subject).ascii(status).ascii(PRIORITIES[priority] as string).timestamp(opened).timestampOrNull(closed).timestamp(updated).null();
      if (out.end()) yield out.take();
    }
  }
  if (!out.isEmpty) yield out.take();
}

const OPEN_STAGES_NEW = ['lead', 'qualified'] as const;
const STAGES_MID = ['qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
const STAGES_MID_WEIGHTS = cumulative([25, 40, 20, 10, 5]);
/** Opportunity value in USD (median) before conversion to the customer's currency. */
const USD_TO: Readonly<Record<string, number>> = { CNY: 7.0, USD: 1, EUR: 0.92 };

function* opportunityChunks(ctx: SeedContext): Generator<Chunk> {
  const { simulator, facts, staff, period } = ctx;
  const r = new Random();
  const profile = new ActivityProfile();
  const out = new CsvWriter(period);
  const endSec = period.endSec;
  let rowId = 0;
  for (let id = 1; id <= ctx.customers; id++) {
    const m = simulator.customer(id);
    const n = opportunityCount(ctx, r, profile, m);
    const stopAt = facts.stopAt[id] as number;
    for (let i = 0; i < n; i++) {
      rowId += 1;
      const created = profile.sample(r);
      const ageDays = (endSec - created) / DAY;
      let stage: string;
      if (ageDays < 20) stage = r.pick(OPEN_STAGES_NEW);
      else if (ageDays < 90) stage = STAGES_MID[r.pickCumulative(STAGES_MID_WEIGHTS)] as string;
      else stage = r.chance(stopAt < created + 120 * DAY ? 0.2 : 0.55) ? 'won' : 'lost';
      const closedStage = stage === 'won' || stage === 'lost';
      const currency = MARKET_CURRENCY[m.market] as string;
      const usd = (m.b2b ? 12_000 : 2_000) * Math.exp(0.9 * r.normal());
      const valueCents = Math.max(1, Math.round((usd * (USD_TO[currency] as number)) / 100)) * 10_000;
      const expectedClose = created + Math.floor(r.range(30, 120) * DAY);
      const updated = closedStage
        ? Math.min(endSec - 1, created + Math.floor(r.range(14, 120) * DAY))
        : Math.min(endSec - 1, created + Math.floor(r.next() * Math.min(60 * DAY, endSec - created)));
      const owner = (facts.owner[id] as number) || r.pick(staff.salesByGroup[m.isCn ? 'cn' : 'west']);
      const year = new Date(created * 1000).getUTCFullYear();
      const [zh, en] = r.pick(opportunityNames);
      const name = m.isCn ? `${year}年${zh}` : `${en} ${year}`;
      out.int(rowId).int(id).int(owner).text(name).ascii(stage).cents(valueCents).ascii(currency).date(expectedClose);
      out.timestamp(created).timestamp(updated).null();
      if (out.end()) yield out.take();
    }
  }
  if (!out.isEmpty) yield out.take();
}

/** Counts campaign_audience and campaign_events rows before they load (a cheap dry run). */
function countCampaignRows(ctx: SeedContext): void {
  const r = new Random();
  const events = newCampaignEvents();
  let audience = 0;
  let eventRows = 0;
  for (const campaign of ctx.campaigns) {
    for (let id = 1; id <= ctx.customers; id++) {
      if (!isAudienceMember(ctx, campaign, id)) continue;
      audience += 1;
      eventRows += drawCampaignEvents(ctx, r, campaign, id, isHoldout(ctx, campaign, id), events).n;
    }
  }
  ctx.expected.set('campaign_audience', audience);
  ctx.expected.set('campaign_events', eventRows);
}

function audienceBuiltAt(campaign: Campaign): number {
  return Math.max(campaign.createdAt, campaign.startedAt - DAY);
}

function* audienceChunks(ctx: SeedContext): Generator<Chunk> {
  const out = new CsvWriter(ctx.period);
  let rowId = 0;
  for (const campaign of ctx.campaigns) {
    const updated = audienceBuiltAt(campaign);
    for (let id = 1; id <= ctx.customers; id++) {
      if (!isAudienceMember(ctx, campaign, id)) continue;
      rowId += 1;
      out.int(rowId).int(campaign.id).int(id).bool(isHoldout(ctx, campaign, id)).timestamp(updated).null();
      if (out.end()) yield out.take();
    }
  }
  if (!out.isEmpty) yield out.take();
}

function* eventChunks(ctx: SeedContext): Generator<Chunk> {
  const r = new Random();
  const events = newCampaignEvents();
  const out = new CsvWriter(ctx.period);
  let rowId = 0;
  for (const campaign of ctx.campaigns) {
    for (let id = 1; id <= ctx.customers; id++) {
      if (!isAudienceMember(ctx, campaign, id)) continue;
      drawCampaignEvents(ctx, r, campaign, id, isHoldout(ctx, campaign, id), events);
      for (let i = 0; i < events.n; i++) {
        rowId += 1;
        const at = events.times[i] as number;
        out.int(rowId).int(campaign.id).int(id).ascii(EVENT_TYPES[events.types[i] as number] as string).timestamp(at).timestamp(at).null();
        if (out.end()) yield out.take();
      }
    }
  }
  if (!out.isEmpty) yield out.take();
}
