import type { PulseStatus } from '../lib/status.ts';

const n = (value: number | null | undefined) => (value == null ? '-' : value.toLocaleString('en'));

/** `pulse status` for people: the published snapshot, then each recent run with its tables. */
export function formatStatus(status: PulseStatus): string {
  const lines: string[] = [];
  if (status.snapshot) {
    lines.push(`Published snapshot: ${status.snapshot.file} (run #${status.snapshot.runId}, ${status.snapshot.publishedAt})`);
    lines.push(`  ${Object.entries(status.snapshot.tables).map(([t, c]) => `${t} ${n(c)}`).join(', ')}`);
  } else {
    lines.push('Published snapshot: none yet (run `pulse sync`)');
  }
  if (status.deadLetters > 0) lines.push(`Dead-letter queue: ${status.deadLetters} job(s) failed after all retries`);
  lines.push('', status.runs.length ? 'Recent runs:' : 'No pipeline runs yet.');
  for (const run of status.runs) {
    const seconds = run.finishedAt ? ` in ${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s` : '';
    lines.push(`#${run.id} ${run.kind} ${run.state}${run.state === 'running' ? ` (${run.stage})` : ''} started ${run.startedAt}${seconds} [${run.trigger}]`);
    if (run.error) lines.push(`   error: ${run.error}`);
    for (const t of run.tables) {
      const check = t.checksumMatch == null ? 'pending' : t.checksumMatch ? 'match' : 'MISMATCH';
      lines.push(`   ${t.table.padEnd(18)} ${t.mode.padEnd(11)} ${n(t.rowsDone).padStart(11)} / ${n(t.rowsExpected).padEnd(11)} source ${n(t.sourceCount).padStart(11)}  warehouse ${n(t.warehouseCount).padStart(11)}  ${check}`);
    }
  }
  return lines.join('\n');
}
