import { Card, Skeleton } from '../../../components/ui.tsx';

export default function Loading() {
  return (
    <div aria-busy="true">
      <Skeleton className="mb-6 h-8 w-48" />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <Card key={i}>
            <Skeleton className="h-4 w-24" />
            <Skeleton className="mt-3 h-8 w-32" />
          </Card>
        ))}
      </div>
      <Card className="mt-4">
        <Skeleton className="h-64 w-full" />
      </Card>
    </div>
  );
}
