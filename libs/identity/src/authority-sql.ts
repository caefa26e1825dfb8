/**
 * SQL over the authorities table for other contexts' queries, so that only identity names it: the code of the
 * authority whose id is the SQL expression `idColumn` (null when it names none).
 */
export function authorityCodeSql(idColumn: string): string {
  return `(SELECT a.code FROM authorities a WHERE a.id = ${idColumn})`;
}
