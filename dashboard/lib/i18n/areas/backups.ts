// Texts of one area of the dashboard, in both languages side by side (the English object is the
// shape the Chinese one must fill). Each area has its own file so areas grow without touching en.ts.
import type { Widen } from './widen.ts';

export const backupsEn = {
  /** Owner scope in the admin users list (lib/user-scopes.ts; set with `pulse user scope`). */
  scope: {
    column: 'Customers',
    all: 'All their role allows',
    owners: 'Owners {ids} only',
    hint: 'To limit a user to their team’s customers, an administrator runs: pulse user scope --email … --owners 3,7',
  },
} as const satisfies Record<string, unknown>;

export const backupsZhCN: Widen<typeof backupsEn> = {
  scope: {
    column: '客户范围',
    all: '角色允许的全部客户',
    owners: '仅负责人 {ids} 的客户',
    hint: '将用户限定为其团队的客户，由管理员运行：pulse user scope --email … --owners 3,7',
  },
};
