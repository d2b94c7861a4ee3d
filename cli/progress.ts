// Progress bars for long work on a terminal; plain lines when output is not a TTY (CI, logs).
import cliProgress from 'cli-progress';

export interface TableProgressView {
  update(table: string, done: number, total: number): void;
  stop(): void;
}

export function createTableProgress(label: string, unit = 'rows'): TableProgressView {
  if (!process.stderr.isTTY) {
    const reported = new Map<string, number>();
    return {
      update(table, done, total) {
        // One line when a table starts and one when it finishes.
        const state = done >= total ? 2 : 1;
        if ((reported.get(table) ?? 0) >= state) return;
        reported.set(table, state);
        process.stderr.write(`${label} ${table}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} ${unit}\n`);
      },
      stop() {},
    };
  }
  const multibar = new cliProgress.MultiBar(
    { format: `${label} {table} |{bar}| {percentage}% {value}/{total} ${unit}`, hideCursor: true, clearOnComplete: false, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(table, done, total) {
      let bar = bars.get(table);
      if (!bar) {
        bar = multibar.create(Math.max(total, 1), 0, { table: table.padEnd(17) });
        bars.set(table, bar);
      }
      bar.setTotal(Math.max(total, done, 1));
      bar.update(done, { table: table.padEnd(17) });
    },
    stop() {
      multibar.stop();
    },
  };
}
