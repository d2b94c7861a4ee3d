// What customers do besides ordering: interactions, tickets, opportunities and campaign responses.
// All of it follows the moment a customer stopped buying (stopAt): interactions thin out in the
// months before, tickets cluster around it, and e-mails stop being opened.
import { DAY } from './calendar.ts';
import type { Campaign } from './catalog.ts';
import { NEVER_U32, type SeedContext } from './context.ts';
import type { CustomerModel } from './model.ts';
import { STREAM } from './model.ts';
import { Random, hashUnit } from './random.ts';

/** Piecewise-constant activity level over a customer's life, for sampling event times. */
export class ActivityProfile {
  private readonly starts = new Float64Array(4);
  private readonly ends = new Float64Array(4);
  private readonly cumulative = new Float64Array(4);
  private n = 0;
  private total = 0;
  /** Weighted length in days: expected events = rate per day * days. */
  days = 0;

  /**
   * Weights for: active life, the 120 days before stopping, the last 30 days before stopping to 60
   * days after, and the time after that. A customer who never stopped has weight 1 throughout.
   */
  set(from: number, until: number, stopAt: number, weights: readonly [number, number, number, number]): this {
    this.n = 0;
    this.total = 0;
    if (stopAt >= NEVER_U32) this.add(from, until, from, until, 1);
    else {
      this.add(from, stopAt - 120 * DAY, from, until, weights[0]);
      this.add(stopAt - 120 * DAY, stopAt - 30 * DAY, from, until, weights[1]);
      this.add(stopAt - 30 * DAY, stopAt + 60 * DAY, from, until, weights[2]);
      this.add(stopAt + 60 * DAY, until, from, until, weights[3]);
    }
    this.days = this.total / DAY;
    return this;
  }

  private add(start: number, end: number, from: number, until: number, weight: number): void {
    const s = Math.max(start, from);
    const e = Math.min(end, until);
    if (e <= s || weight <= 0) return;
    this.total += (e - s) * weight;
    this.starts[this.n] = s;
    this.ends[this.n] = e;
    this.cumulative[this.n] = this.total;
    this.n += 1;
  }

  /** A time drawn with density proportional to the weights (call only when days > 0). */
  sample(random: Random): number {
    const u = random.next() * (this.cumulative[this.n - 1] as number);
    let i = 0;
    while (i < this.n - 1 && (this.cumulative[i] as number) <= u) i++;
    return Math.floor((this.starts[i] as number) + random.next() * ((this.ends[i] as number) - (this.starts[i] as number)));
  }
}

const INTERACTION_WEIGHTS = [1, 0.5, 0.25, 0.06] as const;
const TICKET_WEIGHTS = [1, 1, 1, 0.15] as const;
const OPPORTUNITY_WEIGHTS = [1, 0.6, 0.3, 0] as const;

/** Expected extra tickets (complaints, refunds) around the time a customer stops buying. */
const CHURN_TICKETS = 0.45;

export function interactionCount(ctx: SeedContext, random: Random, profile: ActivityProfile, m: CustomerModel): number {
  const { facts } = ctx;
  random.reseed(ctx.key, STREAM.interactions, m.id);
  profile.set(facts.acquiredAt[m.id] as number, facts.activeUntil[m.id] as number, facts.stopAt[m.id] as number, INTERACTION_WEIGHTS);
  return random.poisson((m.interactionsPerYear / 365) * profile.days);
}

export interface TicketCounts {
  base: number;
  churn: number;
  churnFrom: number;
  churnUntil: number;
}

export function ticketCounts(ctx: SeedContext, random: Random, profile: ActivityProfile, m: CustomerModel, out: TicketCounts): TicketCounts {
  const { facts } = ctx;
  const id = m.id;
  random.reseed(ctx.key, STREAM.tickets, id);
  const from = facts.acquiredAt[id] as number;
  const until = facts.activeUntil[id] as number;
  const stopAt = facts.stopAt[id] as number;
  profile.set(from, until, stopAt, TICKET_WEIGHTS);
  out.base = random.poisson((m.ticketsPerYear / 365) * profile.days);
  out.churn = 0;
  out.churnFrom = Math.max(from, stopAt - 90 * DAY);
  out.churnUntil = Math.min(until, stopAt + 30 * DAY);
  if (stopAt < NEVER_U32 && facts.hasOrders[id] === 1 && out.churnUntil > out.churnFrom) out.churn = random.poisson(CHURN_TICKETS);
  return out;
}

export function opportunityCount(ctx: SeedContext, random: Random, profile: ActivityProfile, m: CustomerModel): number {
  const { facts } = ctx;
  random.reseed(ctx.key, STREAM.opportunities, m.id);
  profile.set(facts.acquiredAt[m.id] as number, facts.activeUntil[m.id] as number, facts.stopAt[m.id] as number, OPPORTUNITY_WEIGHTS);
  return random.poisson((m.opportunitiesPerYear / 365) * profile.days);
}

/** Who a campaign targets: its market, signed up before launch, not deleted; win-back: lapsed only. */
export function isAudienceMember(ctx: SeedContext, campaign: Campaign, id: number): boolean {
  const { facts } = ctx;
  const market = facts.market[id] as number;
  switch (campaign.audience) {
    case 'cn':
      if (market !== 0) return false;
      break;
    case 'na':
      if (market !== 1) return false;
      break;
    case 'eu':
      if (market < 2) return false;
      break;
    case 'west':
      if (market === 0) return false;
      break;
  }
  const start = campaign.startedAt;
  if ((facts.acquiredAt[id] as number) >= start || (facts.activeUntil[id] as number) <= start) return false;
  let weight = 1;
  if (campaign.winBack) {
    const last = facts.lastOrderAt[id] as number;
    if (last === 0 || last >= start - 120 * DAY) return false;
  } else if ((facts.stopAt[id] as number) < start) {
    weight = 0.6;
  }
  return hashUnit(ctx.key, (STREAM.audience << 16) | campaign.id, id) < campaign.reach * weight;
}

export function isHoldout(ctx: SeedContext, campaign: Campaign, id: number): boolean {
  return hashUnit(ctx.key, (STREAM.holdout << 16) | campaign.id, id) < 0.1;
}

export const EVENT_TYPES = ['sent', 'opened', 'clicked', 'converted'] as const;

const OPEN_RATE: Readonly<Record<Campaign['channel'], number>> = { email: 0.24, sms: 0.4, wechat: 0.45, social: 0.12 };
const CLICK_RATE: Readonly<Record<Campaign['channel'], number>> = { email: 0.18, sms: 0.12, wechat: 0.2, social: 0.3 };
const CONVERSION_RATE = 0.25;
/** Buying during the campaign window anyway: what the holdout group measures. */
const ORGANIC_CONVERSION = 0.006;

export interface CampaignEvents {
  n: number;
  types: Uint8Array;
  times: Float64Array;
}

export function newCampaignEvents(): CampaignEvents {
  return { n: 0, types: new Uint8Array(4), times: new Float64Array(4) };
}

/**
 * The funnel for one audience member: sent -> opened -> clicked -> converted, all inside the
 * campaign window. Holdout customers are not contacted; some of them convert on their own.
 */
export function drawCampaignEvents(ctx: SeedContext, random: Random, campaign: Campaign, id: number, holdout: boolean, out: CampaignEvents): CampaignEvents {
  random.reseed(ctx.key, (STREAM.events << 16) | campaign.id, id);
  out.n = 0;
  const start = campaign.startedAt;
  const windowEnd = Math.min(campaign.endedAt ?? ctx.period.endSec, ctx.period.endSec);
  const stopAt = ctx.facts.stopAt[id] as number;
  // Engaged while buying; fading in the months around stopping; gone after.
  const engagement = stopAt >= NEVER_U32 || stopAt > start + 60 * DAY ? 1 : stopAt > start - 90 * DAY ? 0.35 : 0.08;
  const push = (type: number, time: number): void => {
    out.types[out.n] = type;
    out.times[out.n] = time;
    out.n += 1;
  };
  if (holdout) {
    if (random.chance(ORGANIC_CONVERSION * engagement)) push(3, start + Math.floor(random.next() * (windowEnd - start)));
    return out;
  }
  const sent = start + Math.floor(random.next() * Math.min(2 * DAY, (windowEnd - start) / 4));
  push(0, sent);
  let converted = false;
  if (random.chance(OPEN_RATE[campaign.channel] * engagement)) {
    const opened = sent + 60 + Math.floor(random.exponential() * 8 * 3600);
    if (opened < windowEnd) {
      push(1, opened);
      if (random.chance(CLICK_RATE[campaign.channel])) {
        const clicked = opened + 5 + Math.floor(random.exponential() * 20 * 60);
        if (clicked < windowEnd) {
          push(2, clicked);
          if (random.chance(CONVERSION_RATE * (engagement === 1 ? 1 : 0.4))) {
            const at = clicked + 60 + Math.floor(random.exponential() * 1.5 * DAY);
            if (at < windowEnd) {
              push(3, at);
              converted = true;
            }
          }
        }
      }
    }
  }
  if (!converted && random.chance(ORGANIC_CONVERSION * engagement)) {
    const at = sent + Math.floor(random.next() * (windowEnd - sent));
    if (at < windowEnd) push(3, at);
  }
  return out;
}
