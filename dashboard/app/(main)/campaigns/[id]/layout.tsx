// An unknown or malformed campaign id is refused here, outside the page's loading boundary, so the
// answer is a real 404 status (inside the page, after the skeleton has streamed, it would be 200).
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getCampaign, parseCampaignId } from '../../../../lib/data/campaigns.ts';

export default async function Layout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const id = parseCampaignId((await params).id);
  if (id === null || !(await getCampaign(id).catch(() => undefined))) notFound();
  return children;
}
