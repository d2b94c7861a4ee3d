// Users (admins only): who can sign in, with which role. Creating users is `pulse user add` for now.
import { listUsers } from '../../../../../lib/auth.ts';
import { listUserScopes } from '../../../../../lib/user-scopes.ts';
import { Badge, Card, PageHeader, ScrollTable, Subtle, Td, Th } from '../../../../components/ui.tsx';
import { createFormatters } from '../../../../lib/format.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Users' };

export default async function UsersPage() {
  const { t, locale } = await requirePage('page:admin', '/admin/users');
  const { pool, config } = await getServerContext();
  const users = await listUsers(pool);
  const scopes = await listUserScopes(pool);
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  return (
    <>
      <PageHeader title={t.admin.title} />
      <Card>
        <ScrollTable>
          <thead>
            <tr>
              <Th>{t.admin.email}</Th>
              <Th>{t.admin.name}</Th>
              <Th>{t.admin.role}</Th>
              <Th>{t.backups.scope.column}</Th>
              <Th>{t.admin.language}</Th>
              <Th>{t.admin.lastSignIn}</Th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <Td className="font-medium">{u.email}</Td>
                <Td>{u.name}</Td>
                <Td>
                  <Badge colour={u.role === 'admin' ? 'blue' : 'gray'}>{t.roles[u.role]}</Badge> {u.disabled ? <Badge colour="red">{t.admin.disabled}</Badge> : null}
                </Td>
                <Td>
                  <span data-testid="user-scope">{scopes.has(u.id) ? fill(t.backups.scope.owners, { ids: scopes.get(u.id)!.join(', ') }) : t.backups.scope.all}</span>
                </Td>
                <Td>{u.language ? t.language[u.language] : '–'}</Td>
                <Td>{u.lastSignInAt ? f.dateTime(u.lastSignInAt) : t.admin.never}</Td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
        <Subtle className="mt-3 text-xs">{t.backups.scope.hint}</Subtle>
      </Card>
    </>
  );
}
