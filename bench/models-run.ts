// Part of `npm run bench:models`: the full models step on the 1M-customer warehouse that
// `npm run bench:sync` leaves in .pulse-bench/ — building a snapshot (core tables and marts) from the
// staged tables, then segmentation, RFM, BG/NBD + Gamma-Gamma and the churn classifier on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runModels } from '../models/index.ts';
import { projectRoot } from '../lib/paths.ts';
import { DuckDb, buildSnapshot, openWorkDb } from '../warehouse/index.ts';

export async function benchFullModelsRun(): Promise<void> {
  const workFile = path.join(projectRoot, '.pulse-bench', 'bench-work.duckdb');
  if (!fs.existsSync(workFile)) {
    console.log(`\nFull models run: skipped — run \`npm run bench:sync\` first (it leaves the 1M-customer warehouse in ${workFile}).`);
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-models-run-'));
  try {
    const started = performance.now();
    const work = await openWorkDb(workFile, { memoryLimit: '600MB' });
    let snapshot: string;
    try {
      snapshot = await buildSnapshot(work, dataDir, 1, { reportingCurrency: 'CNY' });
    } finally {
      work.close();
    }
    const transformSeconds = (performance.now() - started) / 1000;
    // What `pulse models run` does: copy the published snapshot, run the models on the copy (then publish).
    const modelsStarted = performance.now();
    const copy = `${snapshot}.models-run.duckdb`;
    fs.copyFileSync(snapshot, copy);
    const copySeconds = (performance.now() - modelsStarted) / 1000;
    const db = await DuckDb.open(copy, { memoryLimit: '600MB' });
    let summary;
    try {
      summary = await runModels(db, { runId: 1, runAt: new Date(), seed: 42, hasPrevious: false });
      await db.run('CHECKPOINT');
    } finally {
      db.close();
    }
    const total = (performance.now() - modelsStarted) / 1000;
    console.log(`\nFull models run on the bench warehouse (${summary.customers.toLocaleString('en')} customers):`);
    console.log(`  snapshot build (core + marts; part of every sync, not of \`pulse models run\`): ${transformSeconds.toFixed(2)} s`);
    console.log(`  pulse models run = copy of the published snapshot ${copySeconds.toFixed(2)} s + models ${(total - copySeconds).toFixed(2)} s (${Object.entries(summary.seconds).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')})`);
    console.log(`  segments: ${summary.k}; churn ${summary.churn.model} holdout ROC AUC ${summary.churn.rocAuc.toFixed(3)} vs recency-only ${summary.churn.recencyBaselineAuc.toFixed(3)}`);
    console.log(`  total ${total.toFixed(2)} s (target < 60 s) ${total < 60 ? 'PASS' : 'MISS'}; peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
