// Everything the table generators share: the period, formatters, the small tables, the customer
// simulator, and a few compact per-customer facts the customers pass records for later passes
// (18 bytes a customer; the rows themselves are never held in memory).
import { FxRates, Seasonality, createPeriod, type Period } from './calendar.ts';
import { buildCampaigns, buildCatalog, buildStaff, type Campaign, type Catalog, type StaffDirectory } from './catalog.ts';
import { CustomerSimulator, STREAM } from './model.ts';
import { Random, seedKey } from './random.ts';

/** Stored in the Uint32 time columns for "never" (after any real time). */
export const NEVER_U32 = 0xffffffff;

export interface CustomerFacts {
  market: Uint8Array;
  acquiredAt: Uint32Array;
  /** When the customer stopped buying for good, or NEVER_U32. */
  stopAt: Uint32Array;
  /** Last order time, 0 without orders. */
  lastOrderAt: Uint32Array;
  /** Soft-deletion time, or the end of the period. */
  activeUntil: Uint32Array;
  /** Owning sales person's staff id, 0 for none. */
  owner: Uint8Array;
  /** Whether the customer has at least one order. */
  hasOrders: Uint8Array;
}

export interface SeedContext {
  key: number;
  customers: number;
  period: Period;
  seasonality: { cn: Seasonality; west: Seasonality };
  staff: StaffDirectory;
  catalog: Catalog;
  campaigns: Campaign[];
  fx: FxRates;
  simulator: CustomerSimulator;
  facts: CustomerFacts;
  /** Rows each table will get, filled in as soon as they are known. */
  expected: Map<string, number>;
}

export function createSeedContext(customers: number, seed: number, asOf: Date): SeedContext {
  const key = seedKey(seed);
  const period = createPeriod(asOf);
  const seasonality = { cn: new Seasonality(period, 'cn'), west: new Seasonality(period, 'west') };
  return {
    key,
    customers,
    period,
    seasonality,
    staff: buildStaff(new Random(key, STREAM.staff, 0), period),
    catalog: buildCatalog(new Random(key, STREAM.products, 0), period),
    campaigns: buildCampaigns(new Random(key, STREAM.campaigns, 0), period),
    fx: new FxRates(period, new Random(key, STREAM.fx, 0)),
    simulator: new CustomerSimulator(key, customers, period, seasonality),
    facts: {
      market: new Uint8Array(customers + 1),
      acquiredAt: new Uint32Array(customers + 1),
      stopAt: new Uint32Array(customers + 1),
      lastOrderAt: new Uint32Array(customers + 1),
      activeUntil: new Uint32Array(customers + 1),
      owner: new Uint8Array(customers + 1),
      hasOrders: new Uint8Array(customers + 1),
    },
    expected: new Map(),
  };
}
