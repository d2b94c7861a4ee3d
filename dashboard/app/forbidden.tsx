// Rendered with status 403 when a page calls forbidden() (the role lacks the page's permission).
import { getDictionary } from '../lib/i18n/index.ts';
import { getLocale } from '../lib/server/session.ts';

export default async function Forbidden() {
  const t = getDictionary(await getLocale());
  return (
    <div className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md text-center" data-testid="forbidden">
        <p className="text-5xl font-semibold text-tremor-content-subtle">403</p>
        <h1 className="mt-3 text-xl font-semibold text-tremor-content-strong">{t.states.forbidden}</h1>
        <p className="mt-2 text-tremor-default text-tremor-content">{t.states.forbiddenHint}</p>
        <a href="/overview" className="mt-6 inline-block rounded-tremor-small bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-white">
          {t.states.backHome}
        </a>
      </div>
    </div>
  );
}
