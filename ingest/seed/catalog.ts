// The small tables, built in memory before the customer tables stream: staff, products, campaigns.
import { DAY, blackFridaySec, chineseNewYearSec, type MarketGroup, type Period } from './calendar.ts';
import { chineseName, westernName } from './people.ts';
import { Random } from './random.ts';
import { productBrands, productCategories, productModels } from './vocabulary.ts';

export type Department = 'sales' | 'service' | 'marketing' | 'management';

export interface StaffMember {
  id: number;
  name: string;
  email: string;
  department: Department;
  region: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface StaffDirectory {
  members: StaffMember[];
  /** Sales staff ids by sales region (华东 … , North America, Europe). */
  salesByRegion: ReadonlyMap<string, readonly number[]>;
  serviceByGroup: Readonly<Record<MarketGroup, readonly number[]>>;
  salesByGroup: Readonly<Record<MarketGroup, readonly number[]>>;
}

interface StaffPlan {
  department: Department;
  region: string | null;
  group: MarketGroup;
  count: number;
}

// Fifty people: a sales team per region, a service desk per market, marketing and management.
const STAFF_PLAN: readonly StaffPlan[] = [
  { department: 'management', region: null, group: 'cn', count: 3 },
  { department: 'management', region: null, group: 'west', count: 2 },
  { department: 'sales', region: '华东', group: 'cn', count: 4 },
  { department: 'sales', region: '华北', group: 'cn', count: 3 },
  { department: 'sales', region: '华南', group: 'cn', count: 3 },
  { department: 'sales', region: '华中', group: 'cn', count: 2 },
  { department: 'sales', region: '西南', group: 'cn', count: 2 },
  { department: 'sales', region: '西北', group: 'cn', count: 1 },
  { department: 'sales', region: '东北', group: 'cn', count: 1 },
  { department: 'sales', region: 'North America', group: 'west', count: 5 },
  { department: 'sales', region: 'Europe', group: 'west', count: 4 },
  { department: 'service', region: '华东', group: 'cn', count: 4 },
  { department: 'service', region: '华南', group: 'cn', count: 3 },
  { department: 'service', region: 'North America', group: 'west', count: 3 },
  { department: 'service', region: 'Europe', group: 'west', count: 2 },
  { department: 'marketing', region: '华东', group: 'cn', count: 5 },
  { department: 'marketing', region: 'North America', group: 'west', count: 2 },
  { department: 'marketing', region: 'Europe', group: 'west', count: 1 },
];

export const STAFF_EMAIL_DOMAIN = 'pulse-demo.example';

export function buildStaff(random: Random, period: Period): StaffDirectory {
  const members: StaffMember[] = [];
  const salesByRegion = new Map<string, number[]>();
  const serviceByGroup: Record<MarketGroup, number[]> = { cn: [], west: [] };
  const salesByGroup: Record<MarketGroup, number[]> = { cn: [], west: [] };
  const emails = new Set<string>();
  for (const plan of STAFF_PLAN) {
    for (let i = 0; i < plan.count; i++) {
      const id = members.length + 1;
      const person = plan.group === 'cn' ? chineseName(random) : westernName(random, plan.region === 'Europe' ? random.pick(['GB', 'DE', 'FR'] as const) : 'US');
      let local = `${person.given}.${person.family}`;
      for (let n = 2; emails.has(local); n++) local = `${person.given}.${person.family}${n}`;
      emails.add(local);
      // Hired up to five years before the data starts; the profile was edited at some point since.
      const createdAt = period.startSec - Math.floor(random.range(30, 5 * 365) * DAY);
      const updatedAt = createdAt + Math.floor(random.next() * (period.endSec - 1 - createdAt));
      members.push({ id, name: person.name, email: `${local}@${STAFF_EMAIL_DOMAIN}`, department: plan.department, region: plan.region, createdAt, updatedAt });
      if (plan.department === 'sales' && plan.region) {
        const team = salesByRegion.get(plan.region) ?? [];
        team.push(id);
        salesByRegion.set(plan.region, team);
        salesByGroup[plan.group].push(id);
      }
      if (plan.department === 'service') serviceByGroup[plan.group].push(id);
    }
  }
  return { members, salesByRegion, serviceByGroup, salesByGroup };
}

export const CURRENCIES = ['CNY', 'USD', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface Product {
  id: number;
  sku: string;
  name: string;
  category: string;
  /** List price in US cents. */
  listCents: number;
  createdAt: number;
  updatedAt: number;
}

export interface Catalog {
  products: Product[];
  /** Product indexes (into products) ordered by price, cheapest first: spend level picks from it. */
  byPrice: Int32Array;
  /** Price-list cents per currency (index as CURRENCIES), per product index. */
  priceCents: readonly Int32Array[];
}

export function buildCatalog(random: Random, period: Period, perCategory = 25): Catalog {
  const products: Product[] = [];
  const names = new Set<string>();
  for (const category of productCategories) {
    for (let i = 0; i < perCategory; i++) {
      let name: string;
      do name = `${random.pick(productBrands)} ${random.pick(category.nouns)} ${random.pick(productModels)}`;
      while (names.has(name));
      names.add(name);
      const usd = category.medianUsd * Math.exp(category.sigma * random.normal());
      const createdAt = period.startSec - Math.floor(random.range(30, 900) * DAY);
      const updatedAt = random.chance(0.6) ? createdAt + Math.floor(random.next() * (period.endSec - 1 - createdAt)) : createdAt;
      products.push({
        id: products.length + 1,
        sku: `${category.code}-${String(products.length + 1).padStart(5, '0')}`,
        name,
        category: category.name,
        listCents: pricePoint(usd),
        createdAt,
        updatedAt,
      });
    }
  }
  const byPrice = Int32Array.from(products.map((_, index) => index)).sort((a, b) => (products[a] as Product).listCents - (products[b] as Product).listCents || a - b);
  const priceCents = CURRENCIES.map((currency) =>
    Int32Array.from(products, (product) => {
      if (currency === 'USD') return product.listCents;
      if (currency === 'EUR') return pricePoint((product.listCents / 100) * 0.92);
      return yuanPricePoint((product.listCents / 100) * 7.0);
    }),
  );
  return { products, byPrice, priceCents };
}

/** Retail price points: 4.99, 49.99, 129.99 under 100; 149.99, 1,299.99 above. */
function pricePoint(amount: number): number {
  if (amount < 5) return Math.max(99, Math.round(amount) * 100 - 1);
  if (amount < 100) return Math.round(amount) * 100 - 1;
  return Math.round(amount / 10) * 1000 - 1;
}

/** Yuan prices end in 9 and have no fen: 69.00, 299.00, 1299.00. */
function yuanPricePoint(amount: number): number {
  if (amount < 10) return Math.max(9, Math.round(amount)) * 100;
  return (Math.round(amount / 10) * 10 - 1) * 100;
}

export type CampaignAudience = 'cn' | 'na' | 'eu' | 'west';

export interface Campaign {
  id: number;
  name: string;
  channel: 'email' | 'sms' | 'wechat' | 'social';
  audience: CampaignAudience;
  /** Win-back campaigns target customers who stopped buying. */
  winBack: boolean;
  startedAt: number;
  /** End of the campaign window; null while it is still running at asOf. */
  endedAt: number | null;
  budget: number;
  currency: Currency;
  createdAt: number;
  updatedAt: number;
  /** Share of eligible customers targeted. */
  reach: number;
}

interface CampaignTemplate {
  name: (year: number) => string;
  channel: Campaign['channel'];
  audience: CampaignAudience;
  winBack?: boolean;
  window: (year: number) => readonly [start: number, end: number];
}

const utc = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / 1000;

// About thirteen campaigns a year: the Chinese retail calendar and the Western one.
const CAMPAIGN_TEMPLATES: readonly CampaignTemplate[] = [
  { name: (y) => `${y}春节回馈`, channel: 'wechat', audience: 'cn', window: (y) => [chineseNewYearSec(y) - 25 * DAY, chineseNewYearSec(y) - 8 * DAY] },
  { name: (y) => `${y}春季老客召回`, channel: 'sms', audience: 'cn', winBack: true, window: (y) => [utc(y, 3, 10), utc(y, 3, 31)] },
  { name: (y) => `${y}新品首发`, channel: 'wechat', audience: 'cn', window: (y) => [utc(y, 4, 10), utc(y, 4, 24)] },
  { name: (y) => `${y} 618年中大促`, channel: 'sms', audience: 'cn', window: (y) => [utc(y, 6, 1), utc(y, 6, 19)] },
  { name: (y) => `${y}会员日`, channel: 'wechat', audience: 'cn', window: (y) => [utc(y, 8, 8), utc(y, 8, 15)] },
  { name: (y) => `${y}秋季老客召回`, channel: 'wechat', audience: 'cn', winBack: true, window: (y) => [utc(y, 9, 5), utc(y, 9, 25)] },
  { name: (y) => `${y}双11狂欢节`, channel: 'wechat', audience: 'cn', window: (y) => [utc(y, 10, 24), utc(y, 11, 12)] },
  { name: (y) => `Spring Newsletter ${y}`, channel: 'email', audience: 'west', window: (y) => [utc(y, 3, 15), utc(y, 3, 29)] },
  { name: (y) => `Summer Sale ${y}`, channel: 'email', audience: 'eu', window: (y) => [utc(y, 7, 1), utc(y, 7, 15)] },
  { name: (y) => `Back to School ${y}`, channel: 'social', audience: 'na', window: (y) => [utc(y, 8, 15), utc(y, 9, 5)] },
  { name: (y) => `We miss you, ${y}`, channel: 'email', audience: 'west', winBack: true, window: (y) => [utc(y, 10, 1), utc(y, 10, 21)] },
  { name: (y) => `Black Friday ${y}`, channel: 'email', audience: 'west', window: (y) => [blackFridaySec(y) - 7 * DAY, blackFridaySec(y) + 4 * DAY] },
  { name: (y) => `Holiday Gift Guide ${y}`, channel: 'email', audience: 'eu', window: (y) => [utc(y, 12, 1), utc(y, 12, 24)] },
];

export function buildCampaigns(random: Random, period: Period): Campaign[] {
  const startYear = new Date(period.startSec * 1000).getUTCFullYear();
  const endYear = new Date(period.endSec * 1000).getUTCFullYear();
  const drafts: Omit<Campaign, 'id'>[] = [];
  for (let year = startYear; year <= endYear; year++) {
    for (const template of CAMPAIGN_TEMPLATES) {
      const [start, end] = template.window(year);
      // Started at 09:00 local-ish; only campaigns that started inside the period.
      const startedAt = start + 9 * 3600;
      if (startedAt < period.startSec || startedAt >= period.endSec) continue;
      const endedAt = end + 23 * 3600 < period.endSec ? end + 23 * 3600 : null;
      const currency: Currency = template.audience === 'cn' ? 'CNY' : template.audience === 'eu' ? 'EUR' : 'USD';
      const budget = Math.round((currency === 'CNY' ? random.range(50_000, 500_000) : random.range(10_000, 150_000)) / 1000) * 1000;
      const createdAt = startedAt - Math.floor(random.range(7, 30) * DAY);
      const lastTouch = Math.min(period.endSec - 1, (endedAt ?? period.endSec - 1) + Math.floor(random.range(0, 3) * DAY));
      drafts.push({
        name: template.name(year),
        channel: template.channel,
        audience: template.audience,
        winBack: template.winBack ?? false,
        startedAt,
        endedAt,
        budget,
        currency,
        createdAt,
        updatedAt: Math.max(createdAt, lastTouch),
        reach: template.winBack ? random.range(0.3, 0.5) : random.range(0.1, 0.22),
      });
    }
  }
  drafts.sort((a, b) => a.startedAt - b.startedAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return drafts.map((draft, index) => ({ id: index + 1, ...draft }));
}
