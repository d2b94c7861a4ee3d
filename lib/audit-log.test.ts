import { describe, expect, it } from 'vitest';
import { parseAuditFilters, selectAuditPage } from './audit-log.ts';

describe('parseAuditFilters', () => {
  it('drops blank fields a GET form sends and keeps the rest', () => {
    const result = parseAuditFilters(new URLSearchParams('user=&action=export&outcome=&from=2026-11-01&to=2026-11-30&target=segment%3A3'));
    expect(result).toEqual({ ok: true, filters: { action: 'export', from: '2026-11-01', to: '2026-11-30', target: 'segment:3' } });
  });

  it('names the bad field', () => {
    const cases: [string, string][] = [
      ['action=drop_table', 'action'],
      ['outcome=maybe', 'outcome'],
      ['from=2026-02-30x', 'from'],
      ['from=2026-12-01&to=2026-11-01', 'from'],
      ['before=1;DROP', 'before'],
      ['sort=id', 'sort'],
    ];
    for (const [query, field] of cases) {
      const result = parseAuditFilters(new URLSearchParams(query));
      expect(result.ok, query).toBe(false);
      if (!result.ok) expect(result.field, query).toBe(field);
    }
  });
});

describe('selectAuditPage', () => {
  it('binds every value and matches typed % and _ literally', () => {
    const q = selectAuditPage({ user: "50%_off'--", target: 'segment:3', before: 100 }, 'Asia/Shanghai', 50);
    expect(q.text).not.toContain('50%');
    expect(q.text).not.toContain("'--");
    expect(q.values).toEqual(['%50\\%\\_off\'--%', '%segment:3%', 100, 51]);
    expect(q.text).toMatch(/ORDER BY id DESC LIMIT \$4$/);
  });

  it('pages towards newer entries in ascending order', () => {
    const q = selectAuditPage({ after: 40 }, 'UTC', 50);
    expect(q.ascending).toBe(true);
    expect(q.text).toMatch(/id > \$1 ORDER BY id ASC/);
  });
});
