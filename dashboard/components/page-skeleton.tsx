import { Card, Skeleton } from './ui.tsx';

/** The loading state of a page with a chart over a table: shared by the pages' loading.tsx files. */
export function PageSkeleton() {
  return (
    <div aria-busy="true">
      <Skeleton className="mb-6 h-8 w-48" />
      <Card>
        <Skeleton className="h-64 w-full" />
      </Card>
      <Card className="mt-4">
        <Skeleton className="h-40 w-full" />
      </Card>
    </div>
  );
}
