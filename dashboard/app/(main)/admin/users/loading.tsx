import { Card, Skeleton } from '../../../../components/ui.tsx';

export default function Loading() {
  return (
    <div aria-busy="true">
      <Skeleton className="mb-6 h-8 w-48" />
      <div className="grid gap-4 xl:grid-cols-2">
        <Card>
          <Skeleton className="h-40 w-full" />
        </Card>
        <Card>
          <Skeleton className="h-40 w-full" />
        </Card>
      </div>
      <Card className="mt-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="mb-3 h-14 w-full" />
        ))}
      </Card>
    </div>
  );
}
