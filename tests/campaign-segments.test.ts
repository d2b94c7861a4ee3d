// A campaign linked to the saved segment it targeted (issue #7), on a real dashboard: the link over
// the API with the permission table and segment visibility, bad requests named, a replaced or removed
// link, the link gone with its segment, the audit trail; in Chromium a marketer links a segment on the
// campaign page and finds the campaign, with its results, on the segment's page (desktop and phone,
// English and Chinese; screenshots under artifacts/screenshots).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, roles, type Role } from '../lib/auth-roles.ts';
import { projectRoot } from '../lib/paths.ts';
import { startSeededDashboard, type DashboardFixture } from './helpers/dashboard-fixture.ts';

const screenshots = path.join(projectRoot, 'artifacts', 'screenshots');
let fx: DashboardFixture;
let browser: Browser;
const cookies = new Map<Role, string>();
let campaign: { id: number; name: string; audience: number; conversionRate: number | null };
let otherCampaignId: number;

type Json = Record<string, unknown> & { error?: { code: string; message: string; field?: string } };

async function call(role: Role, method: string, pathAndQuery: string, body?: unknown, raw?: string): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${fx.server.url}${pathAndQuery}`, {
    method,
    headers: { cookie: cookies.get(role)!, origin: fx.server.url, ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: response.status, json: (await response.json().catch(() => ({}))) as Json };
}

async function saveSegment(role: Role, name: string, shared: boolean): Promise<number> {
  const answer = await call(role, 'POST', '/api/saved-segments', { name, shared, definition: { type: 'group', combinator: 'and', rules: [{ type: 'rule', field: 'orders', operator: 'gte', value: 1 }] } });
  expect(answer.status, JSON.stringify(answer.json)).toBe(201);
  return answer.json.id as number;
}

async function auditRows(target: string): Promise<{ action: string; user_email: string; details: Record<string, unknown> }[]> {
  const { rows } = await fx.env.ctx.pool.query('SELECT action, user_email, details FROM pulse.audit_log WHERE target = $1 ORDER BY id', [target]);
  return rows as { action: string; user_email: string; details: Record<string, unknown> }[];
}

beforeAll(async () => {
  fx = await startSeededDashboard('campaign_segments', { customers: 400, seed: 17 });
  for (const role of roles) cookies.set(role, await fx.signInCookie(role));
  const list = await call('marketer', 'GET', '/api/campaigns');
  const campaigns = list.json.campaigns as (typeof campaign)[];
  expect(campaigns.length).toBeGreaterThanOrEqual(2);
  campaign = [...campaigns].sort((a, b) => b.audience - a.audience)[0]!;
  otherCampaignId = campaigns.find((c) => c.id !== campaign.id)!.id;
  browser = await launchChromium();
  fs.mkdirSync(screenshots, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
});

describe('linking a campaign to the saved segment it targeted', () => {
  it('links, replaces and removes the link, for the roles that build segments only, and audits each change', async () => {
    const spring = await saveSegment('marketer', 'Spring buyers', true);
    const autumn = await saveSegment('marketer', 'Autumn buyers', true);
    expect((await call('marketer', 'GET', `/api/campaigns/${campaign.id}/segment`)).status).toBe(404);
    expect((await call('marketer', 'GET', `/api/campaigns/${campaign.id}`)).json.targetSegment).toBeNull();

    for (const role of roles) {
      const answer = await call(role, 'PUT', `/api/campaigns/${otherCampaignId}/segment`, { segmentId: spring });
      expect(answer.status, role).toBe(can(role, 'segments:build') ? 200 : 403);
    }
    expect((await call('executive', 'DELETE', `/api/campaigns/${otherCampaignId}/segment`)).status).toBe(403);

    const linked = await call('marketer', 'PUT', `/api/campaigns/${campaign.id}/segment`, { segmentId: spring });
    expect(linked.status).toBe(200);
    expect(linked.json).toMatchObject({ campaignId: campaign.id, segmentId: spring, segmentName: 'Spring buyers', replaced: null });
    const target = await call('executive', 'GET', `/api/campaigns/${campaign.id}`);
    expect(target.json.targetSegment).toMatchObject({ segmentId: spring, segmentName: 'Spring buyers', linkedBy: fx.users.marketer.email });

    // The segment's page lists the campaign with its results from the snapshot.
    const detail = await call('marketer', 'GET', `/api/saved-segments/${spring}`);
    const listed = detail.json.campaigns as { campaignId: number; campaign: { name: string; audience: number } | null }[];
    expect(listed.map((c) => c.campaignId).sort()).toEqual([campaign.id, otherCampaignId].sort());
    expect(listed.find((c) => c.campaignId === campaign.id)!.campaign).toMatchObject({ name: campaign.name, audience: campaign.audience });

    // A campaign targets one segment: linking another replaces the first.
    const replaced = await call('manager', 'PUT', `/api/campaigns/${campaign.id}/segment`, { segmentId: autumn });
    expect(replaced.json).toMatchObject({ segmentId: autumn, replaced: spring });
    expect(((await call('marketer', 'GET', `/api/saved-segments/${spring}`)).json.campaigns as { campaignId: number }[]).map((c) => c.campaignId)).toEqual([otherCampaignId]);
    expect(((await call('marketer', 'GET', `/api/saved-segments/${autumn}`)).json.campaigns as { campaignId: number }[]).map((c) => c.campaignId)).toEqual([campaign.id]);

    const removed = await call('marketer', 'DELETE', `/api/campaigns/${campaign.id}/segment`);
    expect(removed.json).toMatchObject({ campaignId: campaign.id, unlinked: autumn });
    expect((await call('marketer', 'DELETE', `/api/campaigns/${campaign.id}/segment`)).status).toBe(404);
    expect((await call('marketer', 'GET', `/api/campaigns/${campaign.id}`)).json.targetSegment).toBeNull();

    expect(await auditRows(`campaign:${campaign.id}`)).toEqual([
      { action: 'campaign_link', user_email: fx.users.marketer.email, details: expect.objectContaining({ change: 'link', segment: spring, replaced: null }) },
      { action: 'campaign_link', user_email: fx.users.manager.email, details: expect.objectContaining({ change: 'link', segment: autumn, replaced: spring }) },
      { action: 'campaign_link', user_email: fx.users.marketer.email, details: expect.objectContaining({ change: 'unlink', segment: autumn }) },
    ]);
  });

  it('refuses bad requests naming the problem and changes nothing', async () => {
    const mine = await saveSegment('marketer', 'Kept link', true);
    expect((await call('marketer', 'PUT', `/api/campaigns/${campaign.id}/segment`, { segmentId: mine })).status).toBe(200);
    const bad: [string, string, unknown, string | undefined, number, string][] = [
      ['segment id as text', `/api/campaigns/${campaign.id}/segment`, { segmentId: '1; DROP TABLE pulse.users' }, undefined, 400, 'segmentId'],
      ['a fraction', `/api/campaigns/${campaign.id}/segment`, { segmentId: 1.5 }, undefined, 400, 'segmentId'],
      ['an extra field', `/api/campaigns/${campaign.id}/segment`, { segmentId: mine, owner: 1 }, undefined, 400, 'body'],
      ['no segment', `/api/campaigns/${campaign.id}/segment`, {}, undefined, 400, 'segmentId'],
      ['not JSON', `/api/campaigns/${campaign.id}/segment`, undefined, '{"segmentId":', 400, ''],
      ['an unknown segment', `/api/campaigns/${campaign.id}/segment`, { segmentId: 99_999_999 }, undefined, 404, 'segmentId'],
      ['an unknown campaign', '/api/campaigns/99999999/segment', { segmentId: mine }, undefined, 404, 'id'],
      ['a campaign id that is not a number', '/api/campaigns/1%20OR%201=1/segment', { segmentId: mine }, undefined, 400, 'id'],
    ];
    for (const [label, url, body, raw, status, field] of bad) {
      const answer = await call('marketer', 'PUT', url, body, raw);
      expect(answer.status, label).toBe(status);
      expect(answer.json.error?.message, label).toBeTruthy();
      if (field) expect(answer.json.error?.field, label).toBe(field);
    }
    const withBody = await fetch(`${fx.server.url}/api/campaigns/${campaign.id}/segment`, { method: 'DELETE', headers: { cookie: cookies.get('marketer')!, origin: fx.server.url }, body: 'x' });
    expect(withBody.status).toBe(400);
    expect((await call('marketer', 'GET', `/api/campaigns/${campaign.id}/segment`)).json).toMatchObject({ segmentId: mine, segmentName: 'Kept link' });
  });

  it('keeps a private segment private: others cannot link it and see only that a link exists; deleting the segment removes its links', async () => {
    const secret = await saveSegment('analyst', 'Analyst’s private list', false);
    expect((await call('marketer', 'PUT', `/api/campaigns/${campaign.id}/segment`, { segmentId: secret })).status).toBe(404);
    expect((await call('analyst', 'PUT', `/api/campaigns/${campaign.id}/segment`, { segmentId: secret })).status).toBe(200);
    const seenByMarketer = await call('marketer', 'GET', `/api/campaigns/${campaign.id}/segment`);
    expect(seenByMarketer.json).toMatchObject({ segmentId: null, segmentName: null, linkedBy: null });
    expect(JSON.stringify(seenByMarketer.json)).not.toContain('private list');
    expect((await call('admin', 'GET', `/api/campaigns/${campaign.id}/segment`)).json).toMatchObject({ segmentId: secret });

    expect((await call('analyst', 'DELETE', `/api/saved-segments/${secret}`)).status).toBe(200);
    expect((await call('marketer', 'GET', `/api/campaigns/${campaign.id}/segment`)).status).toBe(404);
  });
});

describe('the campaign and saved segment pages', () => {
  async function open(role: Role, url: string, locale: 'en' | 'zh-CN', width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
    await context.addCookies([{ name: 'pulse_session', value: cookies.get(role)!.split('=')[1]!, url: fx.server.url }]);
    const page = await context.newPage();
    await page.goto(`${fx.server.url}${url}`);
    return page;
  }

  it('lets a marketer link a segment on the campaign page and shows the campaign on the segment page', async () => {
    const segmentId = await saveSegment('marketer', '春季复购客户', true);
    const page = await open('marketer', `/campaigns/${campaign.id}`, 'en', 1280);
    await page.selectOption('[data-testid=target-segment-select]', String(segmentId));
    await page.click('[data-testid=target-segment-link]');
    await page.waitForSelector(`[data-testid=target-segment-name]:has-text("春季复购客户")`);
    expect(await page.locator('[data-testid=target-segment]').textContent()).toContain(`Linked by ${fx.users.marketer.email}`);
    await page.screenshot({ path: path.join(screenshots, 'campaign-target-desktop-en.png'), fullPage: true });

    await page.click('[data-testid=target-segment-name]');
    await page.waitForSelector('[data-testid=segment-campaign-row]');
    const rows = page.locator('[data-testid=segment-campaign-row]');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(campaign.name);
    await page.screenshot({ path: path.join(screenshots, 'saved-segment-campaigns-desktop-en.png'), fullPage: true });
    await page.context().close();

    const phone = await open('marketer', `/saved-segments/${segmentId}`, 'zh-CN', 375);
    expect(await phone.locator('[data-testid=segment-campaigns]').textContent()).toContain('使用此分群的营销活动');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.screenshot({ path: path.join(screenshots, 'saved-segment-campaigns-phone-zh-CN.png'), fullPage: true });
    await phone.goto(`${fx.server.url}/campaigns`);
    expect(await phone.locator(`[data-testid=campaign-card][data-id="${campaign.id}"] [data-testid=campaign-target]`).textContent()).toContain('春季复购客户');
    await phone.goto(`${fx.server.url}/campaigns/${campaign.id}`);
    expect(await phone.locator('[data-testid=target-segment]').textContent()).toContain('目标分群');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.screenshot({ path: path.join(screenshots, 'campaign-target-phone-zh-CN.png'), fullPage: true });
    await phone.context().close();

    // An executive sees the link but gets no form to change it.
    const executive = await open('executive', `/campaigns/${campaign.id}`, 'en', 1280);
    expect(await executive.locator('[data-testid=target-segment-name]').textContent()).toBe('春季复购客户');
    expect(await executive.locator('[data-testid=target-segment-select]').count()).toBe(0);
    await executive.context().close();
  });
});
