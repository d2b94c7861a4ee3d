// Runs once when the Next.js server starts, before it serves requests: installs the hook that tells
// route handlers the real client address (see lib/server/client-address.ts for why it is needed), and
// starts loading the customer list table of the served snapshot (lib/data/customer-list-table.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { installSocketAddressHeader } = await import('./lib/server/client-address.ts');
    installSocketAddressHeader();
    const { warmCustomerListTable } = await import('./lib/data/customers.ts');
    warmCustomerListTable();
  }
}
