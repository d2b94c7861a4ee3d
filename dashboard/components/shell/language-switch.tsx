// Switches the language with a plain form POST (works before any script has loaded); the server
// stores the choice in a cookie and, when signed in, on the user, then sends the browser back.
import { cx } from '../../lib/cx.ts';
import { locales, type Dictionary, type Locale } from '../../lib/i18n/index.ts';

export function LanguageSwitch({ locale, t, className }: { locale: Locale; t: Dictionary; className?: string }) {
  return (
    <form method="post" action="/api/locale" className={cx('flex items-center gap-2', className)} aria-label={t.language.label}>
      <span className="text-xs text-tremor-content">{t.language.label}</span>
      <div className="flex overflow-hidden rounded-tremor-small border border-tremor-border">
        {locales.map((l) => (
          <button
            key={l}
            type="submit"
            name="locale"
            value={l}
            lang={l}
            aria-pressed={l === locale}
            data-testid={`locale-${l}`}
            className={cx('px-2.5 py-1 text-xs font-medium', l === locale ? 'bg-tremor-brand text-white' : 'bg-tremor-background text-tremor-content-emphasis hover:bg-tremor-background-subtle')}
          >
            {t.language[l]}
          </button>
        ))}
      </div>
    </form>
  );
}
