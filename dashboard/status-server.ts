// A minimal status page (the last pipeline runs and the warehouse table counts) served until the
// Next.js dashboard lands. Plain HTML, every value escaped; refreshes itself every 5 seconds.
import http from 'node:http';
import type pg from 'pg';
import { getStatus, type PulseStatus } from '../lib/status.ts';

export function startStatusServer(pool: pg.Pool, dataDir: string, port: number, host = '0.0.0.0'): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    getStatus(pool, dataDir)
      .then((status) => {
        if (url.pathname === '/api/status') {
          response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
          response.end(JSON.stringify(status));
        } else if (url.pathname === '/') {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
          response.end(renderStatusPage(status));
        } else {
          response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('Not found');
        }
      })
      .catch(() => {
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('Status is unavailable right now; is PostgreSQL running?');
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = new Intl.NumberFormat('en');

export function renderStatusPage(status: PulseStatus): string {
  const runs = status.runs
    .map((run) => {
      const rows = run.tables
        .map(
          (t) =>
            `<tr><td>${escapeHtml(t.table)}</td><td>${escapeHtml(t.mode)}</td><td class="n">${fmt.format(t.rowsDone)}${t.rowsExpected != null ? ` / ${fmt.format(t.rowsExpected)}` : ''}</td><td class="n">${t.sourceCount == null ? '' : fmt.format(t.sourceCount)}</td><td class="n">${t.warehouseCount == null ? '' : fmt.format(t.warehouseCount)}</td><td>${t.checksumMatch == null ? '…' : t.checksumMatch ? '✓ match' : '✗ mismatch'}</td></tr>`,
        )
        .join('');
      return `<details ${run === status.runs[0] ? 'open' : ''}><summary><b>#${run.id}</b> ${escapeHtml(run.kind)} · <span class="${escapeHtml(run.state)}">${escapeHtml(run.state)}</span>${run.state === 'running' ? ` (${escapeHtml(run.stage)})` : ''} · ${escapeHtml(run.startedAt.replace('T', ' ').slice(0, 19))} UTC${run.error ? `<div class="err">${escapeHtml(run.error)}</div>` : ''}</summary>
        <div class="scroll"><table><thead><tr><th>table</th><th>mode</th><th>rows copied</th><th>source</th><th>warehouse</th><th>checksum</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
    })
    .join('');
  const tables = status.snapshot
    ? Object.entries(status.snapshot.tables)
        .map(([name, count]) => `<tr><td>${escapeHtml(name)}</td><td class="n">${fmt.format(count)}</td></tr>`)
        .join('')
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>Pulse · pipeline status</title>
<style>body{font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:960px;padding:16px;color:#111827}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;width:100%}td,th{padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:left;white-space:nowrap}
.n{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}.succeeded{color:#047857}.failed{color:#b91c1c}.running{color:#1d4ed8}
.err{color:#b91c1c;white-space:pre-wrap;font-size:13px}details{margin:8px 0;padding:8px;border:1px solid #e5e7eb;border-radius:8px}summary{cursor:pointer}</style></head>
<body><h1>Pulse · pipeline status</h1>
<h2>Published warehouse snapshot</h2>
${status.snapshot ? `<p>${escapeHtml(status.snapshot.file)} (run #${status.snapshot.runId}, published ${escapeHtml(status.snapshot.publishedAt.replace('T', ' ').slice(0, 19))} UTC)</p><div class="scroll"><table><thead><tr><th>table</th><th>rows</th></tr></thead><tbody>${tables}</tbody></table></div>` : '<p>No snapshot published yet.</p>'}
${status.deadLetters > 0 ? `<p class="failed">${status.deadLetters} job(s) failed after all retries (dead-letter queue).</p>` : ''}
<h2>Recent pipeline runs</h2>${runs || '<p>No runs yet.</p>'}
</body></html>`;
}
