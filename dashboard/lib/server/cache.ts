// A small in-memory cache for answers computed from a snapshot. Snapshots never change once
// published, so an answer keyed by the snapshot's file name stays right until the pointer moves on.
import 'server-only';

const MAX_ENTRIES = 500;
const holder = globalThis as typeof globalThis & { __pulseSnapshotCache?: Map<string, Promise<unknown>> };

export function cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const cache = (holder.__pulseSnapshotCache ??= new Map());
  const hit = cache.get(key) as Promise<T> | undefined;
  if (hit) {
    // Map keeps insertion order: re-inserting marks it recently used.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const value = compute();
  cache.set(key, value);
  // A failed computation is not kept: the next request tries again.
  value.catch(() => cache.delete(key));
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return value;
}
