import { getDictionary } from '../lib/i18n/index.ts';
import { getLocale } from '../lib/server/session.ts';

export default async function NotFound() {
  const t = getDictionary(await getLocale());
  return (
    <div className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md text-center">
        <p className="text-5xl font-semibold text-tremor-content-subtle">404</p>
        <h1 className="mt-3 text-xl font-semibold text-tremor-content-strong">{t.states.notFound}</h1>
        <a href="/overview" className="mt-6 inline-block rounded-tremor-small bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-white">
          {t.states.backHome}
        </a>
      </div>
    </div>
  );
}
