// Starting the Next.js dashboard from the CLI (`pulse serve`, `npm run demo`) and from tests:
// builds it when the build is missing or older than its sources, then runs `next start` as a child
// process. The child is this process's own (same process group, killed on exit), so Ctrl-C or
// stop() leaves no server behind holding the port.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const dashboardDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(dashboardDir, '..');
const nextBin = path.join(repoRoot, 'node_modules', 'next', 'dist', 'bin', 'next');
const buildIdFile = path.join(dashboardDir, '.next', 'BUILD_ID');

/** Folders whose files end up in the dashboard's bundle: a change in any of them needs a new build. */
const sourceFolders = ['dashboard', 'lib', 'warehouse', 'models', 'reports'];
const sourcePattern = /\.(tsx?|mjs|css|json)$/;

export interface StartDashboardOptions {
  port: number;
  /** Interface to listen on (default 0.0.0.0; tests use 127.0.0.1). */
  host?: string;
  /** Environment for the server: at least DATABASE_URL and PULSE_DATA_DIR (the CLI passes what it opened). */
  env: Record<string, string | undefined>;
  /** 'auto' (default): build when missing or stale; 'always'; 'never' (fail if there is no build). */
  build?: 'auto' | 'always' | 'never';
  /** Progress lines ("building the dashboard…"); server output goes to `output`. */
  log?: (line: string) => void;
  /** Where the server's own stdout/stderr go (default: this process's stderr). */
  output?: (chunk: string) => void;
  /** How long to wait for the server to answer (default 60 s). */
  readyTimeoutMs?: number;
}

export interface RunningDashboard {
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the server has exited. */
  stop(): Promise<void>;
}

export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const log = options.log ?? (() => undefined);
  const output = options.output ?? ((chunk: string) => process.stderr.write(chunk));
  const host = options.host ?? '0.0.0.0';
  const mode = options.build ?? 'auto';
  // Test files run in parallel and each starts a dashboard: one builds, the others wait for it and
  // then find the build fresh (two `next build`s in one folder break each other).
  await withBuildLock(async () => {
    if (mode === 'always' || (mode === 'auto' && isDashboardBuildStale())) {
      log('Building the dashboard (next build, about 30–60 s)…');
      const started = Date.now();
      await buildDashboard(output);
      log(`Dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    } else if (!fs.existsSync(buildIdFile)) {
      throw new Error(`The dashboard is not built (${buildIdFile} is missing): run \`node ${path.relative(process.cwd(), nextBin)} build dashboard\`.`);
    }
  });

  const child = spawn(process.execPath, [nextBin, 'start', dashboardDir, '-H', host, '-p', String(options.port)], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, NODE_ENV: 'production', PORT: String(options.port), NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8').on('data', output);
  child.stderr!.setEncoding('utf8').on('data', output);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // If this process exits without stop() (an uncaught error), take the server with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const localHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${localHost}:${options.port}`;
  try {
    await waitUntilReady(`${url}/sign-in`, child, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    process.removeListener('exit', killOnExit);
    throw error;
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A lock file per dashboard folder (in the temp folder, so it never looks like a source change). */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = path.join(os.tmpdir(), `pulse-dashboard-build-${crypto.createHash('sha256').update(dashboardDir).digest('hex').slice(0, 12)}.lock`);
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a process that died (killed mid-build) is taken over.
      let content: string;
      try {
        content = fs.readFileSync(lock, 'utf8').trim();
      } catch {
        continue;
      }
      const holder = Number(content);
      // An empty file is a lock being written this instant: wait for its pid.
      if (content !== '' && (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder))) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `next build dashboard`; rejects with the build's output tail when it fails. */
export function buildDashboard(output: (chunk: string) => void = () => undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build', dashboardDir], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const collect = (chunk: string) => {
      output(chunk);
      tail = (tail + chunk).slice(-4000);
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}):\n${tail}`))));
  });
}

/** True when there is no build, or a source file changed after it. */
export function isDashboardBuildStale(): boolean {
  if (!fs.existsSync(buildIdFile)) return true;
  const builtAt = fs.statSync(buildIdFile).mtimeMs;
  return sourceFolders.some((folder) => newerThan(path.join(repoRoot, folder), builtAt));
}

function newerThan(dir: string, time: number): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (entry.name === '.next' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (newerThan(full, time)) return true;
    } else if (sourcePattern.test(entry.name) && !entry.name.endsWith('.test.ts') && fs.statSync(full).mtimeMs > time) {
      return true;
    }
  }
  return false;
}

async function waitUntilReady(url: string, child: ChildProcess, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined || child.exitCode !== null) throw new Error(`The dashboard server exited (code ${exitCode ?? child.exitCode}) before it was ready; see its output above.`);
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`The dashboard did not answer on ${url} within ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
