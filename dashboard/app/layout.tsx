import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { getLocale } from '../lib/server/session.ts';
import './globals.css';

export const metadata: Metadata = { title: { default: 'Pulse', template: '%s · Pulse' }, robots: { index: false } };
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="bg-tremor-background-muted text-tremor-content-emphasis antialiased">{children}</body>
    </html>
  );
}
