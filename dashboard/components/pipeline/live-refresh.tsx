'use client';
// While a run is in progress, re-renders the page's server components every 2 seconds (the server
// reads fresh progress from PostgreSQL); stops polling once nothing is running.
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export function LiveRefresh({ active, label, intervalMs = 2000 }: { active: boolean; label: string; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return active ? (
    <span className="inline-flex items-center gap-2 text-xs text-blue-700" role="status">
      <span className="h-2 w-2 animate-pulse rounded-full bg-blue-500" /> {label}
    </span>
  ) : null;
}
