/**
 * CSV injection (pure, browser-safe). Addresses and display names are chosen by subscribers, and
 * an address may start with = + - @ too (`=cmd|'/Ccalc'!A0@example.org` is a valid address).
 * Such a cell runs as a formula when the file is opened in a spreadsheet, so exports give it a
 * leading apostrophe, and mass subscribe and removal drop that apostrophe when they read a CSV
 * file back, so that an exported roster can be used as input unchanged.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse of `neutraliseFormula` for a cell read back from a file. */
export function restoreNeutralised(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
