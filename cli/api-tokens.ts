// `pulse api token create|list|revoke`: API tokens for a user, from the command line (an admin
// setting up an integration on a server). The token text is printed once on stdout, alone on its
// line, so `TOKEN=$(pulse api token create …)` captures it; everything else goes to stderr.
import { apiScopes, createApiToken, listApiTokens, revokeApiToken, ApiTokenError, type TokenActor } from '../lib/api-tokens.ts';
import { isRole, type Role } from '../lib/auth-roles.ts';
import type { CommandContext } from './context.ts';

interface Owner {
  id: number;
  email: string;
  role: Role;
}

async function findOwner(ctx: CommandContext, email: string): Promise<Owner> {
  const { rows } = await ctx.dbs.pool.query<{ id: string; email: string; role: string; disabled: boolean }>(
    'SELECT id, email, role, disabled_at IS NOT NULL AS disabled FROM pulse.users WHERE lower(email) = lower($1)',
    [email.trim()],
  );
  const row = rows[0];
  if (!row) throw new ApiTokenError('unknown_user', `--email: there is no user ${email}.`);
  if (row.disabled) throw new ApiTokenError('user_disabled', `--email: ${row.email} is disabled; its tokens would not work.`);
  if (!isRole(row.role)) throw new ApiTokenError('unknown_role', `${row.email} has an unknown role ${row.role}.`);
  return { id: Number(row.id), email: row.email, role: row.role };
}

/** The CLI acts for the owner; the audit entry says it came from the CLI. */
function cliActor(owner: Owner): TokenActor {
  return { userId: owner.id, userEmail: owner.email, role: owner.role, address: 'cli' };
}

export function parseScopes(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function createTokenCommand(ctx: CommandContext, options: { email: string; name: string; scopes: string; pii?: boolean; days: number }): Promise<void> {
  const owner = await findOwner(ctx, options.email);
  const scopes = parseScopes(options.scopes);
  const unknown = scopes.filter((s) => !(apiScopes as readonly string[]).includes(s));
  if (unknown.length > 0) throw new ApiTokenError('invalid_token_input', `--scopes: unknown scope ${unknown.join(', ')} (use ${apiScopes.join(',')}).`);
  const { token, apiToken } = await createApiToken(ctx.dbs.pool, owner, { name: options.name, scopes, pii: options.pii ?? false, expiresInDays: options.days }, cliActor(owner));
  console.error(`Created API token ${apiToken.id} "${apiToken.name}" for ${owner.email} (${owner.role}): scopes ${apiToken.scopes.join(',')}, personal data ${apiToken.pii ? 'unmasked' : 'masked'}, expires ${apiToken.expiresAt}.`);
  console.error('It is shown only now; Pulse keeps only its hash:');
  console.log(token);
}

export async function listTokensCommand(ctx: CommandContext, options: { email: string; json?: boolean }): Promise<void> {
  const owner = await findOwner(ctx, options.email);
  const tokens = await listApiTokens(ctx.dbs.pool, owner.id);
  if (options.json) {
    console.log(JSON.stringify(tokens, null, 2));
    return;
  }
  if (tokens.length === 0) console.log(`${owner.email} has no API tokens.`);
  for (const t of tokens) {
    const state = t.revokedAt ? `revoked ${t.revokedAt}` : new Date(t.expiresAt) < new Date() ? `expired ${t.expiresAt}` : `expires ${t.expiresAt}`;
    console.log(`${t.id}\t${t.prefix}…\t${t.name}\t${t.scopes.join(',')}${t.pii ? ',pii' : ''}\t${state}\tlast used ${t.lastUsedAt ?? 'never'}`);
  }
}

export async function revokeTokenCommand(ctx: CommandContext, options: { email: string; id: number }): Promise<void> {
  const owner = await findOwner(ctx, options.email);
  const revoked = await revokeApiToken(ctx.dbs.pool, options.id, owner.id, cliActor(owner));
  if (!revoked) throw new ApiTokenError('unknown_token', `--id: ${owner.email} has no live API token ${options.id}.`);
  console.log(`Revoked API token ${options.id}.`);
}
