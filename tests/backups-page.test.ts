// The admin Backups page and /api/admin/backups: the settings, and the backups in PULSE_BACKUP_DIR
// with their signature state (valid, altered, unfinished), in English and Chinese, on a desktop and a
// phone; the empty state before the first backup; admins only.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../lib/backup.ts';
import { MANIFEST_FILE } from '../lib/backup-manifest.ts';
import { projectRoot } from '../lib/paths.ts';
import { loadKeyring } from '../lib/secrets.ts';
import { handleBackup } from '../jobs/backup.job.ts';
import { startSeededDashboard, type DashboardFixture } from './helpers/dashboard-fixture.ts';

const screenshots = path.join(projectRoot, 'artifacts', 'screenshots');
let fx: DashboardFixture;
let browser: Browser;
let adminCookie: string;

beforeAll(async () => {
  fx = await startSeededDashboard('backups_page', { customers: 200, seed: 41 });
  adminCookie = await fx.signInCookie('admin');
  browser = await launchChromium();
  fs.mkdirSync(screenshots, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
});

type Overview = { dir: string; keep: number; key: { id: string } | null; backups: { name: string; state: string; rows: number; warehouse: string | null }[] };

async function overview(cookie = adminCookie): Promise<{ status: number; body: Overview }> {
  const response = await fetch(`${fx.server.url}/api/admin/backups`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as Overview };
}

async function open(locale: 'en' | 'zh-CN', width: number) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
  await context.addCookies([{ name: 'pulse_session', value: adminCookie.split('=')[1]!, url: fx.server.url }]);
  const page = await context.newPage();
  await page.goto(`${fx.server.url}/admin/backups`);
  await page.waitForSelector('[data-testid=backup-settings]');
  return page;
}

describe('the admin Backups page', () => {
  it('shows the empty state and the settings before the first backup', async () => {
    const { status, body } = await overview();
    expect(status).toBe(200);
    expect(body.backups).toEqual([]);
    expect(body.dir).toBe(fx.env.config.backupDir);
    const page = await open('en', 1280);
    expect(await page.locator('main').textContent()).toContain('No backups in this folder yet');
    expect(await page.locator('[data-testid=backup-key]').textContent()).toMatch(/key file|None yet/i);
    await page.screenshot({ path: path.join(screenshots, 'backups-empty-desktop-en.png'), fullPage: true });
    await page.context().close();
  });

  it('lists backups with their signature state, in both languages, on a desktop and a phone', async () => {
    const root = fx.env.config.backupDir;
    await handleBackup(fx.env.ctx, fx.database.url, { trigger: 'test' }, new Date('2026-11-20T03:30:00Z'));
    await handleBackup(fx.env.ctx, fx.database.url, { trigger: 'test' }, new Date('2026-11-21T03:30:00Z'));
    // One altered after it was written, and one that never finished.
    await createBackup({ databaseUrl: fx.database.url, dataDir: fx.env.dataDir, outDir: path.join(root, 'manual-copy'), keyring: loadKeyring(fx.env.config), includeOperational: false });
    const manifestFile = path.join(root, 'manual-copy', MANIFEST_FILE);
    fs.writeFileSync(manifestFile, fs.readFileSync(manifestFile, 'utf8').replace(/"rows": (\d+)/, (_m, n: string) => `"rows": ${Number(n) + 1}`));
    fs.mkdirSync(path.join(root, 'pulse-backup-20261122T033000Z', 'tables'), { recursive: true });

    const { body } = await overview();
    const byName = Object.fromEntries(body.backups.map((b) => [b.name, b]));
    expect(byName['pulse-backup-20261121T033000Z']).toMatchObject({ state: 'signed' });
    expect(byName['pulse-backup-20261121T033000Z']!.warehouse).toMatch(/^snapshot-/);
    expect(byName['pulse-backup-20261121T033000Z']!.rows).toBeGreaterThan(200);
    expect(byName['manual-copy']!.state).toBe('tampered');
    expect(byName['pulse-backup-20261122T033000Z']!.state).toBe('unfinished');

    for (const locale of ['en', 'zh-CN'] as const) {
      for (const width of [1280, 375]) {
        const page = await open(locale, width);
        await page.waitForSelector('[data-testid=backup-row]');
        expect(await page.locator('[data-testid=backup-row][data-state=signed]').count()).toBe(2);
        expect(await page.locator('[data-testid=backup-row][data-state=tampered]').textContent()).toContain(locale === 'en' ? 'Altered' : '已被篡改');
        expect(await page.locator('h1').first().textContent()).toBe(locale === 'en' ? 'Backups' : '备份');
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        expect(sideways, `${locale} ${width}px scrolls sideways`).toBe(false);
        await page.screenshot({ path: path.join(screenshots, `backups-${width === 375 ? 'phone' : 'desktop'}-${locale}.png`), fullPage: true });
        await page.context().close();
      }
    }
  }, 120_000);

  it('is for admins only', async () => {
    const manager = await fx.signInCookie('manager');
    expect((await overview(manager)).status).toBe(403);
    const page = await fetch(`${fx.server.url}/admin/backups`, { headers: { cookie: manager }, redirect: 'manual' });
    expect(page.status).toBe(403);
  });
});
