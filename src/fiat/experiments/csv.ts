import Papa from 'papaparse';

/**
 * CSV as RFC 4180 writes it (papaparse's unparse): fields separated by commas, records by CRLF, a field quoted when it
 * holds a comma, a double quote (doubled inside), a line break, or leading or trailing space. Null is an empty field;
 * numbers are written in full (JavaScript's shortest round-trip form). Formulas are not escaped: a value starting with
 * "=" stays as it is (the data are the user's own model outputs, and escaping would change them).
 */
export type CsvValue = string | number | boolean | null;

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return Papa.unparse({ fields: [...header], data: rows.map((r) => [...r]) }, { newline: '\r\n', quotes: false });
}
