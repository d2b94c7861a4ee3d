// API tokens: the signed-in user's tokens for the public segment API v1 — create (shown once), list
// with last use, revoke — and how to pull a segment with curl. Each user sees only their own tokens.
import { headers } from 'next/headers';
import { listApiTokens } from '../../../../lib/api-tokens.ts';
import { can } from '../../../../lib/auth-roles.ts';
import { CreateTokenForm } from '../../../components/api-tokens/create-token-form.tsx';
import { RevokeTokenButton } from '../../../components/api-tokens/revoke-token-button.tsx';
import { Badge, Card, EmptyState, PageHeader, Title } from '../../../components/ui.tsx';
import { createFormatters } from '../../../lib/format.ts';
import { fill } from '../../../lib/i18n/index.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { requirePage } from '../../../lib/server/session.ts';

export const metadata = { title: 'API tokens' };

export default async function ApiTokensPage() {
  const { t, locale, session } = await requirePage('api:tokens', '/api-tokens');
  const { pool, config } = await getServerContext();
  const tokens = await listApiTokens(pool, session.user.id);
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const a = t.builder.api;
  const now = Date.now();
  // The address this browser reached the dashboard at, so the example can be pasted as it is.
  const request = await headers();
  const origin = `${request.get('x-forwarded-proto') ?? 'http'}://${request.get('x-forwarded-host') ?? request.get('host') ?? 'localhost'}`;
  const curl = `curl -H "Authorization: Bearer $PULSE_TOKEN" \\\n  "${origin}/api/v1/segments"\ncurl -H "Authorization: Bearer $PULSE_TOKEN" \\\n  "${origin}/api/v1/segments/<id>/members?limit=500"`;
  return (
    <>
      <PageHeader title={a.title} subtitle={a.subtitle} />
      <div className="grid min-w-0 gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <Card className="lg:self-start">
          <Title className="mb-4">{a.createTitle}</Title>
          <CreateTokenForm
            allowed={{
              'segments:read': can(session.user.role, 'page:segments'),
              'members:read': can(session.user.role, 'data:export'),
              pii: can(session.user.role, 'pii:unmasked'),
            }}
          />
        </Card>
        <div className="flex min-w-0 flex-col gap-6">
          <Card>
            <Title className="mb-4">{a.listTitle}</Title>
            {tokens.length === 0 ? (
              <EmptyState>{a.none}</EmptyState>
            ) : (
              <ul className="flex flex-col divide-y divide-tremor-border" data-testid="api-token-list">
                {tokens.map((token) => {
                  const status = token.revokedAt ? 'revoked' : new Date(token.expiresAt).getTime() <= now ? 'expired' : 'active';
                  return (
                    <li key={token.id} className="flex flex-col gap-2 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between" data-testid="api-token">
                      <div className="min-w-0">
                        <div className="flex flex-wrap items-center gap-2">
                          <span className="break-words font-medium text-tremor-content-strong">{token.name}</span>
                          <Badge colour={status === 'active' ? 'green' : status === 'revoked' ? 'red' : 'gray'}>{a.statuses[status]}</Badge>
                          {token.pii ? <Badge colour="amber">PII</Badge> : null}
                        </div>
                        <div className="mt-1 break-all font-mono text-xs text-tremor-content">{token.prefix}…</div>
                        <div className="mt-1 flex flex-wrap gap-1">
                          {token.scopes.map((scope) => (
                            <Badge key={scope} colour="blue">
                              {scope}
                            </Badge>
                          ))}
                        </div>
                        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-tremor-content">
                          <dt>{a.expires}</dt>
                          <dd>{f.dateTime(token.expiresAt)}</dd>
                          <dt>{a.lastUsed}</dt>
                          <dd>{token.lastUsedAt ? f.dateTime(token.lastUsedAt) : a.never}</dd>
                        </dl>
                      </div>
                      {status === 'active' ? <RevokeTokenButton id={token.id} name={token.name} /> : null}
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
          <Card>
            <Title className="mb-2">{a.howTitle}</Title>
            <p className="text-tremor-default text-tremor-content">
              {fill(a.howText, { limit: config.apiRateLimit })}{' '}
              <a className="font-medium text-tremor-brand hover:underline" href="/api/v1/openapi.json">
                /api/v1/openapi.json
              </a>
            </p>
            <pre className="mt-3 overflow-x-auto whitespace-pre-wrap break-all rounded-tremor-small bg-tremor-background-subtle p-3 font-mono text-xs text-tremor-content-strong">{curl}</pre>
          </Card>
        </div>
      </div>
    </>
  );
}
