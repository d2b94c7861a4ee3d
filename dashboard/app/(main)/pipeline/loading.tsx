import { Card, Skeleton } from '../../../components/ui.tsx';

export default function Loading() {
  return (
    <div aria-busy="true">
      <Skeleton className="mb-6 h-8 w-48" />
      {Array.from({ length: 3 }, (_, i) => (
        <Card key={i} className="mb-3">
          <Skeleton className="h-5 w-64" />
          <Skeleton className="mt-3 h-24 w-full" />
        </Card>
      ))}
    </div>
  );
}
