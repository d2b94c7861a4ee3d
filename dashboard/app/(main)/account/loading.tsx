import { Card, Skeleton } from '../../../components/ui.tsx';

export default function Loading() {
  return (
    <div aria-busy="true">
      <Skeleton className="mb-6 h-8 w-48" />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <Skeleton className="h-6 w-40" />
          <Skeleton className="mt-4 h-32 w-full" />
        </Card>
        <Card>
          <Skeleton className="h-6 w-32" />
          <Skeleton className="mt-4 h-48 w-full" />
        </Card>
      </div>
    </div>
  );
}
