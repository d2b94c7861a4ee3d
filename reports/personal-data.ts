// Names, e-mail addresses and phone numbers live only in the operational database (DESIGN: the
// warehouse holds no readable personal data). Reports fetch them for the rows they print, and mask
// them unless the subscription's role has `pii:unmasked` in the one permission table.
import type pg from 'pg';
import { can, maskEmail, maskPhone, type Role } from '../lib/auth-roles.ts';

export interface PersonalData {
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** Looks up personal data for customer ids; a missing id simply has no entry. */
export interface PersonalDataSource {
  lookup(customerIds: number[]): Promise<Map<number, PersonalData>>;
}

/** The demo operational schema's customers table (pulse_app.customers) on the source database. */
export function createPersonalDataSource(sourcePool: pg.Pool): PersonalDataSource {
  return {
    async lookup(customerIds) {
      const out = new Map<number, PersonalData>();
      if (customerIds.length === 0) return out;
      const { rows } = await sourcePool.query<{ id: number; name: string | null; email: string | null; phone: string | null }>(
        'SELECT id, name, email, phone FROM pulse_app.customers WHERE id = ANY($1::bigint[])',
        [customerIds],
      );
      for (const row of rows) out.set(Number(row.id), { name: row.name, email: row.email, phone: row.phone });
      return out;
    },
  };
}

/** No personal data at all (a report rendered without the operational database): ids only. */
export const noPersonalData: PersonalDataSource = { lookup: async () => new Map() };

/** `王小明` → `王••`, `Ann Lee` → `A•• L••`: enough to recognise a row, not to identify a person. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  return name
    .trim()
    .split(/\s+/)
    .map((part) => `${Array.from(part)[0] ?? ''}••`)
    .join(' ');
}

export function canSeePersonalData(role: Role): boolean {
  return can(role, 'pii:unmasked');
}

/** The personal data a role may see. */
export function personalDataFor(role: Role, data: PersonalData | undefined): PersonalData {
  if (!data) return { name: null, email: null, phone: null };
  if (canSeePersonalData(role)) return data;
  return { name: maskName(data.name), email: maskEmail(data.email), phone: maskPhone(data.phone) };
}
