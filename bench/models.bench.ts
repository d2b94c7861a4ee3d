// Models benchmark: `npx tsx bench/models.bench.ts`.
//
// k-means on 1M × 6 (seeded Gaussian mixture, k = 8, nInit = 5): Pulse vs ml-kmeans (its own
// k-means++ start) vs scikit-learn when /usr/bin/python3 (or python3) can import it. Every
// clustering runs in its own child process so its peak RSS (getrusage maxRSS) is its own. All
// read the same data: a raw float64 file (what the clustering figures use, so file parsing is not
// timed) written from the same array as the CSV and Parquet files the CLI path reads.
// Then BG/NBD fit + scoring on 1M customers simulated from known parameters.
//
// Targets: Pulse ≤ 0.5 × scikit-learn time, inertia ≤ +0.01 % vs scikit-learn, peak RSS < 400 MB;
// BG/NBD fit + scoring < 10 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { fitBgnbd, generateGaussianMixture, kmeans, readNumericMatrix, scoreBgnbd, simulateBgnbd, type BgnbdParams } from '../models/index.ts';
import { quoteLiteral, withDuckDb } from '../warehouse/duckdb.ts';
import { benchFullModelsRun } from './models-run.ts';

const ROWS = 1_000_000;
const COLUMNS = 6;
const K = 8;
const N_INIT = 5;
const DATA_SEED = 20261123;
const PULSE_SEEDS = [1, 2, 3];

interface ChildResult {
  seconds: number;
  inertia: number;
  iterations: number;
  maxRssMb: number;
  readSeconds?: number;
}

const thisFile = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
  await runChild(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
} else {
  await main();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pulse-models-bench-'));
  try {
    // Timings on a shared 2-core machine swing with other work; the load average says how busy it was.
    console.log(`Pulse models benchmark — ${ROWS.toLocaleString('en')} × ${COLUMNS}, k = ${K}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    const files = await writeData(dir);
    const rows: string[][] = [];
    const add = (name: string, r: ChildResult | null, note = ''): void => {
      rows.push(r ? [name, r.seconds.toFixed(2), r.maxRssMb.toFixed(0), r.inertia.toFixed(3), String(r.iterations), note] : [name, '—', '—', '—', '—', note]);
    };

    const pulse = PULSE_SEEDS.map((seed) => child('pulse', files.raw, seed));
    pulse.forEach((r, i) => add(`Pulse kmeans seed ${PULSE_SEEDS[i]} (nInit ${N_INIT})`, r));
    const cliParquet = child('pulse-cli', files.parquet, PULSE_SEEDS[0]!);
    add('Pulse via readNumericMatrix (Parquet)', cliParquet, `+ ${cliParquet.readSeconds!.toFixed(2)} s read`);
    const cliCsv = child('pulse-cli', files.csv, PULSE_SEEDS[0]!);
    add('Pulse via readNumericMatrix (CSV)', cliCsv, `+ ${cliCsv.readSeconds!.toFixed(2)} s read`);
    const ml = child('ml-kmeans', files.raw, 1);
    add('ml-kmeans 7, own k-means++ start (1 start)', ml);

    const python = findSklearn();
    let sklearn: ChildResult | null = null;
    let sklearnOneThread: ChildResult | null = null;
    if (python) {
      sklearn = runSklearn(python, files.raw, {});
      sklearnOneThread = runSklearn(python, files.raw, { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' });
      add(`scikit-learn ${sklearnVersion(python)} KMeans n_init ${N_INIT} (2 threads)`, sklearn);
      add(`scikit-learn KMeans n_init ${N_INIT} (1 thread)`, sklearnOneThread);
    } else {
      add('scikit-learn', null, 'not importable; apt-get install -y python3-sklearn');
    }

    printTable(['k-means run', 'seconds', 'peak RSS MB', 'inertia', 'iterations', 'note'], rows);

    const main = pulse[0]!;
    const worstPulse = pulse.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    const bestInertia = Math.min(...pulse.map((r) => r.inertia));
    console.log('\nk-means against targets');
    console.log(`  Pulse time (seed ${PULSE_SEEDS[0]}): ${main.seconds.toFixed(2)} s; slowest of ${pulse.length} seeds ${worstPulse.seconds.toFixed(2)} s (target < 1.7 s)`);
    console.log(`  Pulse peak RSS: ${Math.max(...pulse.map((r) => r.maxRssMb)).toFixed(0)} MB over the seeds (target < 400 MB)`);
    if (sklearn && sklearnOneThread) {
      const pct = (r: ChildResult): string => `${r.inertia >= sklearn.inertia ? '+' : ''}${(((r.inertia - sklearn.inertia) / sklearn.inertia) * 100).toExponential(1)} %`;
      console.log(`  time ratio Pulse / scikit-learn: ${(main.seconds / sklearn.seconds).toFixed(2)} (2 threads), ${(main.seconds / sklearnOneThread.seconds).toFixed(2)} (1 thread) (target ≤ 0.5)`);
      console.log(`  inertia vs scikit-learn: ${pulse.map((r, i) => `seed ${PULSE_SEEDS[i]} ${pct(r)}`).join(', ')} (target ≤ +0.01 %)`);
      console.log(`  ml-kmeans inertia vs scikit-learn: ${pct(ml)}`);
    } else {
      console.log(`  best Pulse inertia ${bestInertia.toFixed(1)}; ml-kmeans ${ml.inertia.toFixed(1)}`);
    }

    benchBgnbd();
    await benchFullModelsRun();
    console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writeData(dir: string): Promise<{ raw: string; csv: string; parquet: string }> {
  const started = performance.now();
  const { data } = generateGaussianMixture(ROWS, COLUMNS, K, DATA_SEED);
  const raw = path.join(dir, 'features.f64');
  writeFileSync(raw, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  // CSV with shortest round-trip number text, so every reader parses back the identical doubles.
  const csv = path.join(dir, 'features.csv');
  const fd = openSync(csv, 'w');
  writeSync(fd, `${Array.from({ length: COLUMNS }, (_, j) => `f${j}`).join(',')}\n`);
  for (let start = 0; start < ROWS; start += 20_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(ROWS, start + 20_000); i++) lines.push(Array.from(data.subarray(i * COLUMNS, (i + 1) * COLUMNS)).join(','));
    writeSync(fd, `${lines.join('\n')}\n`);
  }
  closeSync(fd);
  const parquet = path.join(dir, 'features.parquet');
  await withDuckDb(':memory:', {}, (db) => db.run(`COPY (SELECT * FROM read_csv_auto(${quoteLiteral(csv)})) TO ${quoteLiteral(parquet)} (FORMAT parquet)`));
  console.log(`data: seeded Gaussian mixture (8 components), written as float64, CSV and Parquet in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return { raw, csv, parquet };
}

function child(kind: string, file: string, seed: number): ChildResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', thisFile, '--child', kind, file, String(seed)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    cwd: path.dirname(path.dirname(thisFile)),
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

async function runChild(kind: string, file: string, seed: number): Promise<void> {
  const report = (r: Omit<ChildResult, 'maxRssMb'>): void => {
    // getrusage's maxRSS is in kilobytes on Linux.
    console.log(JSON.stringify({ ...r, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  };
  if (kind === 'pulse-cli') {
    const t0 = performance.now();
    const matrix = await readNumericMatrix(file);
    const t1 = performance.now();
    const result = kmeans(matrix.data, matrix.n, matrix.d, { k: K, seed, nInit: N_INIT });
    report({ seconds: (performance.now() - t1) / 1000, readSeconds: (t1 - t0) / 1000, inertia: result.inertia, iterations: result.iterations });
    return;
  }
  const bytes = readFileSync(file);
  const data = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  const n = data.length / COLUMNS;
  if (kind === 'pulse') {
    const t0 = performance.now();
    const result = kmeans(data, n, COLUMNS, { k: K, seed, nInit: N_INIT });
    report({ seconds: (performance.now() - t0) / 1000, inertia: result.inertia, iterations: result.iterations });
    return;
  }
  // ml-kmeans takes number[][]; the conversion is not timed.
  const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * COLUMNS, (i + 1) * COLUMNS)));
  const t0 = performance.now();
  const result = mlKmeans(rows, K, { seed, initialization: 'kmeans++' });
  const seconds = (performance.now() - t0) / 1000;
  let inertia = 0;
  rows.forEach((row, i) => row.forEach((v, j) => (inertia += (v - result.centroids[result.clusters[i]!]![j]!) ** 2)));
  report({ seconds, inertia, iterations: result.iterations });
}

function findSklearn(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

function sklearnVersion(python: string): string {
  return execFileSync(python, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' }).trim();
}

function runSklearn(python: string, file: string, env: Record<string, string>): ChildResult {
  const script = `
import json, resource, sys, time
import numpy as np
from sklearn.cluster import KMeans
X = np.fromfile(sys.argv[1], dtype=np.float64).reshape(-1, ${COLUMNS})
t0 = time.perf_counter()
km = KMeans(n_clusters=${K}, n_init=${N_INIT}, random_state=0).fit(X)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "inertia": float(km.inertia_), "iterations": int(km.n_iter_),
                  "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;
  const out = execFileSync(python, ['-c', script, file], { encoding: 'utf8', env: { ...process.env, ...env } });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

function benchBgnbd(): void {
  const truth: BgnbdParams = { r: 0.25, alpha: 4.4, a: 0.8, b: 2.4 };
  const horizons = [13, 26, 52];
  const data = simulateBgnbd(truth, ROWS, 7);
  const t0 = performance.now();
  const fit = fitBgnbd(data);
  const t1 = performance.now();
  const scores = scoreBgnbd(fit, data, horizons);
  const t2 = performance.now();
  let alive = 0;
  for (let i = 0; i < ROWS; i++) alive += scores.pAlive[i]! / ROWS;
  console.log(`\nBG/NBD on ${ROWS.toLocaleString('en')} customers simulated with r ${truth.r}, alpha ${truth.alpha}, a ${truth.a}, b ${truth.b} (weeks, T up to 78)`);
  printTable(
    ['step', 'seconds', 'result'],
    [
      ['fit (BFGS, 3 starts on 50k, polish on all)', ((t1 - t0) / 1000).toFixed(2), `r ${fit.r.toFixed(4)}, alpha ${fit.alpha.toFixed(3)}, a ${fit.a.toFixed(4)}, b ${fit.b.toFixed(3)}, LL ${fit.loglik.toFixed(1)}`],
      [`score P(alive) + E[purchases] at ${horizons.join('/')} weeks`, ((t2 - t1) / 1000).toFixed(2), `mean P(alive) ${alive.toFixed(4)}`],
      ['total', ((t2 - t0) / 1000).toFixed(2), 'target < 10 s'],
    ],
  );
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
