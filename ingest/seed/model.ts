// The customer model behind the demo data. Each customer has latent traits (market, purchase rate,
// dropout probability, spend level) and a purchase history drawn BG/NBD-style: purchases arrive as
// a Poisson process in seasonal "shopping time", and after every purchase the customer may drop out
// for good. Everything else (interactions, tickets, campaign response) reads the moment a customer
// stopped buying, so churn leaves the traces a churn model should find.
import { DAY, Seasonality, type Period } from './calendar.ts';
import type { Currency } from './catalog.ts';
import { Random, cumulative, hashUnit } from './random.ts';
import type { Country } from './vocabulary.ts';

/** Independent random streams: (seed, stream, entity id) -> values. */
export const STREAM = {
  latent: 1,
  identity: 2,
  orderTimes: 3,
  orderDetails: 4,
  interactions: 5,
  tickets: 6,
  opportunities: 7,
  staff: 8,
  products: 9,
  campaigns: 10,
  fx: 11,
  itemCount: 12,
  orderDeleted: 13,
  audience: 14,
  holdout: 15,
  events: 16,
  owner: 17,
} as const;

export const MARKETS: readonly Country[] = ['CN', 'US', 'GB', 'DE', 'FR'];
export const MARKET_CN = 0;
const MARKET_SHARES = cumulative([55, 22, 8, 8, 7]);
export const MARKET_CURRENCY: readonly Currency[] = ['CNY', 'USD', 'EUR', 'EUR', 'EUR'];
/** Index into CURRENCIES (CNY, USD, EUR). */
export const MARKET_CURRENCY_INDEX: readonly number[] = [0, 1, 2, 2, 2];
/** Local time offset used for the time of day of orders. */
export const MARKET_UTC_OFFSET: readonly number[] = [8 * 3600, -5 * 3600, 0, 3600, 3600];

export const ORDER_CHANNELS = ['web', 'app', 'store', 'phone', 'wechat', 'marketplace'] as const;
/** Cumulative channel weights (as ORDER_CHANNELS): WeChat mostly in China, the web in the West. */
export const ORDER_CHANNEL_WEIGHTS = {
  cn: cumulative([10, 25, 8, 2, 35, 20]),
  west: cumulative([45, 20, 12, 6, 0.5, 16.5]),
} as const;

const CN_HOURS = cumulative([0.3, 0.15, 0.08, 0.05, 0.04, 0.05, 0.15, 0.4, 0.7, 1, 1.2, 1.1, 1, 1, 1, 1, 0.95, 0.9, 0.95, 1.2, 1.5, 1.7, 1.5, 0.8]);
const WEST_HOURS = cumulative([0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.25, 0.5, 0.8, 1, 1.1, 1.2, 1.3, 1.2, 1.1, 1, 1, 1, 1.1, 1.3, 1.4, 1.2, 0.8, 0.4]);

/** stopAt of a customer still buying at asOf. */
export const NEVER = Number.POSITIVE_INFINITY;

/** Customer acquisition grows over the period: density proportional to exp(GROWTH * t). */
const GROWTH = 1.2;
const MAX_ORDERS_PER_CUSTOMER = 3000;

export interface CustomerModel {
  id: number;
  market: number;
  isCn: boolean;
  acquiredAt: number;
  b2b: boolean;
  wholesale: boolean;
  whale: boolean;
  /** Signed up but never ordered (a lead). */
  neverBuys: boolean;
  /** Purchases per shopping day while active. */
  rate: number;
  /** Probability of dropping out after each purchase. */
  dropout: number;
  /** Spend level: where in the price-sorted catalogue this customer shops (standard normal scale). */
  priceLevel: number;
  preferredChannel: number;
  interactionsPerYear: number;
  ticketsPerYear: number;
  opportunitiesPerYear: number;
  /** Soft-deleted at some point after the last activity. */
  deleted: boolean;
}

export interface PurchaseHistory {
  /** Order times, ascending (valid up to count). */
  times: Float64Array;
  count: number;
  /** When the customer stopped buying for good (last purchase), or NEVER. */
  stopAt: number;
}

/**
 * Draws customers and their purchase histories. One instance is reused for every customer of a
 * pass; the streams are re-keyed per customer so any pass can rebuild any customer exactly.
 */
export class CustomerSimulator {
  private readonly latentRandom = new Random();
  private readonly timesRandom = new Random();
  private readonly model: CustomerModel = {
    id: 0, market: 0, isCn: true, acquiredAt: 0, b2b: false, wholesale: false, whale: false, neverBuys: false,
    rate: 0, dropout: 0, priceLevel: 0, preferredChannel: 0, interactionsPerYear: 0, ticketsPerYear: 0,
    opportunitiesPerYear: 0, deleted: false,
  };
  private readonly history: PurchaseHistory = { times: new Float64Array(MAX_ORDERS_PER_CUSTOMER), count: 0, stopAt: NEVER };
  private readonly growthNorm = Math.expm1(GROWTH);

  constructor(
    readonly key: number,
    readonly customers: number,
    readonly period: Period,
    readonly seasonality: Readonly<{ cn: Seasonality; west: Seasonality }>,
  ) {}

  /** The latent traits of customer `id` (the returned object is reused by the next call). */
  customer(id: number): CustomerModel {
    const r = this.latentRandom.reseed(this.key, STREAM.latent, id);
    const m = this.model;
    m.id = id;
    m.market = r.pickCumulative(MARKET_SHARES);
    m.isCn = m.market === MARKET_CN;
    // Stratified acquisition times: customer ids follow sign-up order, with more sign-ups lately.
    const u = (id - 1 + r.next()) / this.customers;
    const fraction = Math.log1p(u * this.growthNorm) / GROWTH;
    const span = this.period.endSec - this.period.startSec - 3600;
    m.acquiredAt = this.period.startSec + Math.floor(fraction * span);
    m.b2b = r.chance(0.4);
    m.wholesale = m.b2b && r.chance(0.25);
    m.whale = r.chance(0.025);
    m.neverBuys = r.chance(0.06);
    // Heterogeneous purchase rates (gamma) and dropout probabilities (beta), as in BG/NBD.
    m.rate = (r.gamma(0.75) * (20 / 0.75)) / 365;
    if (m.b2b) m.rate *= 1.3;
    m.dropout = r.beta(1.2, 16);
    m.priceLevel = 0.8 * r.normal() + (m.whale ? 1.6 : 0) + (m.b2b ? 0.3 : 0);
    m.preferredChannel = r.pickCumulative(m.isCn ? ORDER_CHANNEL_WEIGHTS.cn : ORDER_CHANNEL_WEIGHTS.west);
    m.interactionsPerYear = (r.gamma(2) / 2) * (m.b2b ? 8.5 : 4.2);
    m.ticketsPerYear = (r.gamma(2) / 2) * 0.1;
    m.opportunitiesPerYear = m.b2b ? (r.gamma(2) / 2) * 0.8 : 0.01;
    m.deleted = r.chance(0.005);
    return m;
  }

  /** The purchase history of the customer last returned by customer(). */
  purchases(m: CustomerModel): PurchaseHistory {
    const h = this.history;
    h.count = 0;
    h.stopAt = NEVER;
    const r = this.timesRandom.reseed(this.key, STREAM.orderTimes, m.id);
    const { endSec } = this.period;
    if (m.neverBuys) {
      h.stopAt = m.acquiredAt;
      return h;
    }
    // Most first orders follow sign-up within hours; some customers take days to decide.
    let t = m.acquiredAt + Math.floor(r.chance(0.8) ? r.exponential() * 2 * 3600 : r.exponential() * 10 * DAY) + 60;
    if (t >= endSec) return h;
    const season = m.isCn ? this.seasonality.cn : this.seasonality.west;
    const hours = m.isCn ? CN_HOURS : WEST_HOURS;
    const offset = MARKET_UTC_OFFSET[m.market] as number;
    const total = season.total;
    h.times[h.count++] = t;
    for (;;) {
      if (r.next() < m.dropout) {
        h.stopAt = t;
        break;
      }
      const s = season.at(t) + r.exponential() / m.rate;
      if (s >= total) break;
      const day = season.dayAt(s);
      const hour = r.pickCumulative(hours);
      let next = this.period.startSec + day * DAY + hour * 3600 + r.int(3600) - offset;
      if (next <= t) next = t + 60 + r.int(3600);
      if (next >= endSec) break;
      t = next;
      h.times[h.count++] = t;
      if (h.count === MAX_ORDERS_PER_CUSTOMER) break;
    }
    return h;
  }
}

/** Number of items in an order (1–3, mean 1.5), from the order id alone so passes agree. */
export function itemCount(key: number, orderId: number): number {
  const u = hashUnit(key, STREAM.itemCount, orderId);
  return u < 0.6 ? 1 : u < 0.9 ? 2 : 3;
}

export function isOrderDeleted(key: number, orderId: number): boolean {
  return hashUnit(key, STREAM.orderDeleted, orderId) < 0.005;
}
