// Saved segments on real PostgreSQL and real pipeline runs: visibility, static members frozen and
// paged, a failed save leaves nothing behind, and every pipeline run records each segment's size on
// the new snapshot — a broken segment is recorded as such without failing the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../ingest/index.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { createUser, type User } from '../lib/auth.ts';
import {
  canEditSegment,
  canViewSegment,
  createSavedSegment,
  deleteSavedSegment,
  getFrozenMemberIds,
  getFrozenMemberIdsAfter,
  getSavedSegment,
  getSegmentSizes,
  listSavedSegments,
  savedSegmentInputSchema,
  updateSavedSegment,
} from '../lib/saved-segments.ts';
import { compileSegmentRules, countSegment, listMemberIds, withPublishedSnapshot, type RuleGroup } from '../warehouse/index.ts';
import { createPulseEnv, type PulseTestEnv } from './helpers/pulse-env.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let env: PulseTestEnv;
let owner: User;
let colleague: User;
let admin: User;

const today = '2026-10-01';
const loyal: RuleGroup = {
  type: 'group',
  combinator: 'and',
  rules: [
    { type: 'rule', field: 'orders', operator: 'gte', value: 3 },
    { type: 'rule', field: 'last_order_at', operator: 'in_last', value: 365 },
  ],
};

beforeAll(async () => {
  database = await createMigratedDatabase('saved_segments', { demoSource: true });
  await seedDemoData(database.url, { customers: 1000, seed: 3, asOf: new Date(`${today}T00:00:00Z`) });
  env = createPulseEnv(database.url);
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'test' });
  const password = 'a long enough password';
  owner = await createUser(env.ctx.pool, { email: 'owner@example.com', password, role: 'marketer' });
  colleague = await createUser(env.ctx.pool, { email: 'colleague@example.com', password, role: 'marketer' });
  admin = await createUser(env.ctx.pool, { email: 'admin@example.com', password, role: 'admin' });
}, 240_000);

afterAll(async () => {
  await env?.close();
  await database?.drop();
});

function input(fields: Record<string, unknown>) {
  return savedSegmentInputSchema.parse({ definition: loyal, ...fields });
}

async function loyalIdsOnSnapshot(): Promise<{ runId: number; ids: Float64Array }> {
  return withPublishedSnapshot(env.dataDir, async (db, info) => {
    const compiled = compileSegmentRules(loyal, { today });
    if (!compiled.ok) throw new Error('does not compile');
    return { runId: info.runId, ids: await listMemberIds(db, compiled.condition) };
  });
}

describe('saved segments', () => {
  it('shows a private segment to its owner and admins only, a shared one to everybody', async () => {
    const mine = await createSavedSegment(env.ctx.pool, input({ name: 'Mine', shared: false }), owner.id);
    const ours = await createSavedSegment(env.ctx.pool, input({ name: 'Ours', shared: true }), owner.id);
    const names = async (u: User) => (await listSavedSegments(env.ctx.pool, { userId: u.id, role: u.role })).map((s) => s.name);
    expect(await names(owner)).toEqual(expect.arrayContaining(['Mine', 'Ours']));
    expect(await names(colleague)).toContain('Ours');
    expect(await names(colleague)).not.toContain('Mine');
    expect(await names(admin)).toEqual(expect.arrayContaining(['Mine', 'Ours']));
    const shared = (await getSavedSegment(env.ctx.pool, ours))!;
    expect(canViewSegment(shared, { userId: colleague.id, role: colleague.role })).toBe(true);
    expect(canEditSegment(shared, { userId: colleague.id, role: colleague.role })).toBe(false);
    expect(canEditSegment(shared, { userId: admin.id, role: admin.role })).toBe(true);
    expect(canViewSegment((await getSavedSegment(env.ctx.pool, mine))!, { userId: colleague.id, role: colleague.role })).toBe(false);
    expect(await deleteSavedSegment(env.ctx.pool, mine)).toBe(true);
    expect(await getSavedSegment(env.ctx.pool, mine)).toBeNull();
  });

  it('freezes a static segment with its members, pages them by customer id, and replaces them on change', async () => {
    const { runId, ids } = await loyalIdsOnSnapshot();
    expect(ids.length).toBeGreaterThan(50);
    const id = await createSavedSegment(env.ctx.pool, input({ name: 'Frozen loyal', kind: 'static' }), owner.id, { runId, ids });
    const saved = (await getSavedSegment(env.ctx.pool, id))!;
    expect(saved).toMatchObject({ kind: 'static', frozenRunId: runId, frozenCount: ids.length });
    expect(await getFrozenMemberIds(env.ctx.pool, id)).toEqual(Array.from(ids));
    const firstPage = await getFrozenMemberIdsAfter(env.ctx.pool, id, 0, 20);
    const secondPage = await getFrozenMemberIdsAfter(env.ctx.pool, id, firstPage[19]!, 20);
    expect([...firstPage, ...secondPage]).toEqual(Array.from(ids).slice(0, 40));
    // Turning it dynamic drops the frozen members.
    await updateSavedSegment(env.ctx.pool, id, input({ name: 'Loyal, live', kind: 'dynamic' }));
    expect(await getFrozenMemberIds(env.ctx.pool, id)).toEqual([]);
    expect((await getSavedSegment(env.ctx.pool, id))!).toMatchObject({ kind: 'dynamic', frozenAt: null, frozenCount: null });
  });

  it('stores 500,000 frozen members, and a failed save leaves neither segment nor members', async () => {
    const many = Float64Array.from({ length: 500_000 }, (_, i) => i * 2 + 1);
    const started = performance.now();
    const id = await createSavedSegment(env.ctx.pool, input({ name: 'Half a million', kind: 'static' }), owner.id, { runId: 1, ids: many });
    const seconds = (performance.now() - started) / 1000;
    console.log(`stored 500,000 frozen members in ${seconds.toFixed(2)} s`);
    const stored = await getFrozenMemberIds(env.ctx.pool, id);
    expect(stored.length).toBe(500_000);
    expect(stored[499_999]).toBe(999_999);
    expect(await getFrozenMemberIdsAfter(env.ctx.pool, id, 19_997, 3)).toEqual([19_999, 20_001, 20_003]); // across two chunks
    await deleteSavedSegment(env.ctx.pool, id);
    expect((await env.ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pulse.saved_segment_members WHERE segment_id = $1', [id])).rows[0]!.n).toBe(0);

    // An id that is not a number breaks the COPY after the segment row was written: the whole save is rolled back.
    const before = await env.ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pulse.saved_segments');
    const broken = Float64Array.from([1, 2, Number.NaN]);
    await expect(createSavedSegment(env.ctx.pool, input({ name: 'Broken', kind: 'static' }), owner.id, { runId: 1, ids: broken })).rejects.toThrow(/bigint/);
    expect((await env.ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pulse.saved_segments')).rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('records every segment’s size after each pipeline run; a broken segment is recorded and the run still succeeds', async () => {
    const dynamic = await createSavedSegment(env.ctx.pool, input({ name: 'Loyal (sized)', shared: true }), owner.id);
    const { runId, ids } = await loyalIdsOnSnapshot();
    const frozen = await createSavedSegment(env.ctx.pool, input({ name: 'Loyal frozen (sized)', kind: 'static' }), owner.id, { runId, ids: ids.slice(0, 25) });
    const broken = await createSavedSegment(env.ctx.pool, input({ name: 'Broken (sized)' }), owner.id);
    // A definition that no longer compiles (written around the API, as an old version might have).
    await env.ctx.pool.query(`UPDATE pulse.saved_segments SET definition = '{"type":"group","combinator":"and","rules":[{"type":"rule","field":"no_such_field","operator":"eq","value":1}]}' WHERE id = $1`, [broken]);

    const run = await runPipelineNow(env.ctx, { mode: 'incremental', trigger: 'test' });
    expect((await env.ctx.pool.query<{ state: string }>('SELECT state FROM pulse.pipeline_runs WHERE id = $1', [run.runId])).rows[0]!.state).toBe('succeeded');

    const expected = await withPublishedSnapshot(env.dataDir, async (db) => {
      // The pipeline evaluated with the real clock; so does this check.
      const compiled = compileSegmentRules(loyal, { today: new Date().toISOString().slice(0, 10) });
      if (!compiled.ok) throw new Error('does not compile');
      return countSegment(db, compiled.condition);
    });
    const [dynamicSize] = (await getSegmentSizes(env.ctx.pool, dynamic)).filter((s) => s.runId === run.runId);
    expect(dynamicSize).toMatchObject({ runId: run.runId, snapshot: run.snapshot.file, customers: expected.customers, error: null });
    expect(dynamicSize!.revenueShare).toBeCloseTo(expected.revenueShare, 8);
    const [frozenSize] = (await getSegmentSizes(env.ctx.pool, frozen)).filter((s) => s.runId === run.runId);
    expect(frozenSize).toMatchObject({ customers: 25, error: null });
    const [brokenSize] = (await getSegmentSizes(env.ctx.pool, broken)).filter((s) => s.runId === run.runId);
    expect(brokenSize).toMatchObject({ customers: null });
    expect(brokenSize!.error).toMatch(/no field "no_such_field"/);
  });
});
