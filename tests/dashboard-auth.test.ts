// Users, sessions, masking, languages and URL filters of the dashboard, against a real PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, createUser, ensureDemoUsers, getSession, signIn, signOut } from '../lib/auth.ts';
import { maskEmail, maskPhone } from '../lib/auth-roles.ts';
import { negotiateLocale } from '../dashboard/lib/i18n/index.ts';
import { en } from '../dashboard/lib/i18n/en.ts';
import { zhCN } from '../dashboard/lib/i18n/zh-CN.ts';
import { parseFilters, resolvePeriod } from '../dashboard/lib/filters.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createMigratedDatabase('dashboard_auth');
  pool = new pg.Pool({ connectionString: database.url });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('createUser', () => {
  it('stores an Argon2id hash, never the password, and refuses a second user with the same e-mail in any case', async () => {
    const user = await createUser(pool, { email: 'Ann.Lee@Example.com', password: 'correct horse battery', role: 'manager', language: 'zh-CN' });
    expect(user).toMatchObject({ email: 'ann.lee@example.com', role: 'manager', language: 'zh-CN', name: 'ann.lee' });
    const { rows } = await pool.query<{ password_hash: string }>('SELECT password_hash FROM pulse.users WHERE id = $1', [user.id]);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    await expect(createUser(pool, { email: 'ann.lee@EXAMPLE.com', password: 'another password', role: 'analyst' })).rejects.toMatchObject({ code: 'email_taken' });
  });

  it('names the bad field', async () => {
    await expect(createUser(pool, { email: 'not-an-email', password: 'long enough pw', role: 'admin' })).rejects.toThrow(/email/);
    await expect(createUser(pool, { email: 'x@example.com', password: 'short', role: 'admin' })).rejects.toThrow(/password/);
    await expect(createUser(pool, { email: 'y@example.com', password: 'long enough pw', role: 'root' as 'admin' })).rejects.toThrow(/role: must be one of/);
    await expect(createUser(pool, { email: 'y@example.com', password: 'long enough pw', role: 'admin' })).resolves.toBeTruthy();
    expect(new AuthError('x', 'y').code).toBe('x');
  });
});

describe('signIn', () => {
  it('opens a session whose cookie token is stored only hashed, and signOut ends it', async () => {
    await createUser(pool, { email: 'bo@example.com', password: 'bo password 1', role: 'marketer' });
    const result = await signIn(pool, ' BO@example.com ', 'bo password 1');
    expect(result).toMatchObject({ ok: true, step: 'session' });
    if (!result.ok || result.step !== 'session') return;
    const { rows } = await pool.query<{ token_hash: Buffer }>('SELECT token_hash FROM pulse.sessions');
    expect(rows.some((r) => r.token_hash.toString('base64url') === result.token)).toBe(false);
    expect((await getSession(pool, result.token))?.user.role).toBe('marketer');
    await signOut(pool, result.token);
    expect(await getSession(pool, result.token)).toBeNull();
  });

  it('gives the same answer for an unknown e-mail and a wrong password, and locks after 10 wrong passwords', async () => {
    await createUser(pool, { email: 'cy@example.com', password: 'cy password 1', role: 'analyst' });
    expect(await signIn(pool, 'nobody@example.com', 'whatever')).toEqual({ ok: false, reason: 'invalid' });
    for (let i = 0; i < 10; i++) expect(await signIn(pool, 'cy@example.com', 'wrong')).toEqual({ ok: false, reason: 'invalid' });
    expect(await signIn(pool, 'cy@example.com', 'cy password 1')).toEqual({ ok: false, reason: 'locked' });
  });

  it('does not accept an expired session', async () => {
    await createUser(pool, { email: 'di@example.com', password: 'di password 1', role: 'executive' });
    const result = await signIn(pool, 'di@example.com', 'di password 1');
    if (!result.ok || result.step !== 'session') throw new Error('sign-in failed');
    await pool.query("UPDATE pulse.sessions SET expires_at = now() - interval '1 second'");
    expect(await getSession(pool, result.token)).toBeNull();
    expect(await getSession(pool, undefined)).toBeNull();
  });
});

describe('ensureDemoUsers', () => {
  it('creates one user per role with a password kept in the data folder, once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-demo-'));
    try {
      const first = await ensureDemoUsers(pool, dataDir);
      expect(first.map((u) => u.role)).toEqual(['admin', 'manager', 'marketer', 'executive', 'analyst']);
      expect(first.every((u) => u.created)).toBe(true);
      expect(fs.statSync(path.join(dataDir, 'demo-password')).mode & 0o077).toBe(0);
      const again = await ensureDemoUsers(pool, dataDir);
      expect(again.every((u) => !u.created && u.password === first[0]!.password)).toBe(true);
      expect((await signIn(pool, 'executive@pulse.example', first[0]!.password)).ok).toBe(true);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('maskEmail / maskPhone', () => {
  it('keeps only what a marketer needs', () => {
    expect(maskEmail('ann.lee@example.com')).toBe('a•••@example.com');
    expect(maskPhone('+86 138 0013 8000')).toBe('+86 •••• 8000');
    expect(maskPhone('12')).toBe('••••');
    expect(maskEmail(null)).toBeNull();
  });
});

describe('negotiateLocale', () => {
  it('follows the browser by q-value; any Chinese variant is zh-CN', () => {
    expect(negotiateLocale('zh-TW,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(negotiateLocale('fr-FR, en;q=0.5, zh;q=0.7')).toBe('zh-CN');
    expect(negotiateLocale('en-GB')).toBe('en');
    expect(negotiateLocale('fr')).toBeUndefined();
    expect(negotiateLocale(undefined)).toBeUndefined();
  });

  it('has a Chinese text for every English one', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });
});

describe('parseFilters', () => {
  it('accepts the URL filters and resolves presets to the data’s last day', () => {
    const parsed = parseFilters(new URLSearchParams('range=30d&region=华东&currency=USD&segment=3'));
    expect(parsed).toEqual({ ok: true, filters: { range: '30d', region: '华东', currency: 'USD', segment: 3 } });
    if (!parsed.ok) return;
    expect(resolvePeriod(parsed.filters, '2024-03-31')).toEqual({ from: '2024-03-02', to: '2024-03-31', previousFrom: '2024-02-01', previousTo: '2024-03-01', days: 30 });
  });

  it('names the field of a bad value', () => {
    expect(parseFilters({ range: 'custom', from: '2024-05-01', to: '2024-04-01' })).toMatchObject({ ok: false, field: 'to' });
    expect(parseFilters({ region: "x' OR 1=1 --" })).toMatchObject({ ok: false, field: 'region' });
    expect(parseFilters({ segment: ['1', '2'] })).toMatchObject({ ok: false, field: 'segment' });
  });
});
