// The workbook writer's own rules, read back with exceljs: cell types and formats per column,
// markup and control characters in text, empty cells, the filter over every row.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { excelDate, workbookBuffer, type SheetSpec } from './render-xlsx.ts';

describe('writeWorkbook', () => {
  it('writes typed, formatted cells; text stays text whatever it contains', async () => {
    const spec: SheetSpec = {
      name: 'Members',
      columns: [
        { header: 'id', type: 'integer', width: 8 },
        { header: 'name', type: 'text', width: 20 },
        { header: 'revenue', type: 'money', width: 12 },
        { header: 'risk', type: 'percent', width: 8 },
        { header: 'last order', type: 'date', width: 12 },
      ],
      rows: (async function* () {
        yield [
          [1, '=HYPERLINK("http://x","y")', 1234.5, 0.25, excelDate('2026-03-01')],
          [2, '<b>Tom & "Jerry"</b>\u0007 ', null, null, null],
        ];
        yield [[3, '王小明', -5, 1, excelDate('2024-02-29')]];
      })(),
    };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await workbookBuffer([spec])) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Members')!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(1).getCell(2).value).toBe('name');
    expect(sheet.getRow(1).font?.bold ?? sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    const first = sheet.getRow(2);
    expect(first.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(first.getCell(2).value).toBe('=HYPERLINK("http://x","y")');
    expect(first.getCell(2).formula).toBeUndefined();
    expect(first.getCell(3).value).toBe(1234.5);
    expect(first.getCell(3).numFmt).toBe('#,##0.00');
    expect(first.getCell(4).numFmt).toBe('0.0%');
    expect(first.getCell(5).value).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(first.getCell(5).numFmt).toBe('yyyy-mm-dd');
    // Markup is escaped, a bell character dropped, the trailing space kept; empty cells stay empty.
    expect(sheet.getRow(3).getCell(2).value).toBe('<b>Tom & "Jerry"</b> ');
    expect(sheet.getRow(3).getCell(3).value).toBeNull();
    expect(sheet.getRow(4).getCell(2).value).toBe('王小明');
    expect(sheet.getRow(4).getCell(5).value).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(sheet.autoFilter).toBe('A1:E4');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });
});
