import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FieldErrors } from '../errors.ts';

/** The columns a bulk file may have; any other column is ignored. */
const COLUMNS = ['first_name', 'last_name', 'full_name', 'email', 'phone_number', 'external_id'] as const;

export const MAX_ROWS = 5_000;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface BulkRow {
  /** The row's number as a spreadsheet shows it: the header is row 1. */
  row: number;
  values: Partial<Record<(typeof COLUMNS)[number], string>>;
}

/** Why a file is not a list of recipients, as the page says it. */
export class BulkFileError extends Error {}

/** Reads the file's rows: a header row, then one recipient a row (BOM, quotes and CRLF as spreadsheets write them). */
export function readBulkCsv(file: Buffer): BulkRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(file, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    });
  } catch (err) {
    throw new BulkFileError(`This file could not be read as CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new BulkFileError('This file has no rows after its header row.');
  if (records.length > MAX_ROWS) {
    const n = (x: number) => x.toLocaleString('en');
    throw new BulkFileError(
      `This file has ${n(records.length)} rows; a file may have at most ${n(MAX_ROWS)}.`,
    );
  }
  return records.map((record, i) => {
    const values: BulkRow['values'] = {};
    for (const column of COLUMNS) {
      const value = record[column];
      if (typeof value === 'string' && value !== '') values[column] = value;
    }
    return { row: i + 2, values };
  });
}

/** Every message of a row's errors, with its field's name. */
export function errorMessages(errors: FieldErrors, prefix = ''): string[] {
  return Object.entries(errors).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (!Array.isArray(value)) return errorMessages(value, name);
    return name === 'non_field_errors' ? value : value.map((m) => `${name}: ${m}`);
  });
}

// A spreadsheet runs a cell that starts with one of these as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;
const inert = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

/** The results file: one line per input row, its invite's id or its errors. */
export function resultsCsv(rows: { row: number; inviteId: string | null; errors: string[] }[]): string {
  return stringify(
    rows.map((r) => [String(r.row), r.inviteId ?? '', inert(r.errors.join('; '))]),
    { header: true, columns: ['row', 'invite_id', 'errors'] },
  );
}
