// Run as a separate process by tests: reads the published snapshot in a loop until stdin closes,
// checking each read is internally consistent, then prints a JSON summary on stdout.
import { withPublishedSnapshot } from '../../warehouse/index.ts';

const dataDir = process.argv[2]!;
let reads = 0;
const errors: string[] = [];
const counts = new Set<number>();
let running = true;
process.stdin.on('end', () => (running = false)).resume();

while (running) {
  try {
    await withPublishedSnapshot(dataDir, async (db) => {
      const actual = await db.one<{ n: number }>('SELECT count(*) AS n FROM core.orders');
      const recorded = await db.one<{ n: number }>("SELECT row_count AS n FROM meta.table_counts WHERE table_name = 'orders'");
      if (Number(actual.n) !== Number(recorded.n)) errors.push(`partial snapshot: ${actual.n} rows, ${recorded.n} recorded`);
      counts.add(Number(actual.n));
    });
    reads++;
  } catch (error) {
    errors.push((error as Error).message);
  }
}
process.stdout.write(JSON.stringify({ reads, errors: errors.slice(0, 10), errorCount: errors.length, counts: [...counts] }));
