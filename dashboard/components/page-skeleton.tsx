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

/** The loading state of an admin page with two setting cards over a list (users, sessions). */
export function CardsAndListSkeleton() {
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

/** The loading state of an account page: two cards side by side (account, two-step sign-in). */
export function TwoCardsSkeleton() {
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
