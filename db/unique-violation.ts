/**
 * True when a database error (from `pg` or PGlite, possibly wrapped by drizzle as `cause`) is a
 * unique-constraint violation (SQLSTATE 23505), optionally on one named constraint.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (candidate.code === "23505") return constraint === undefined || candidate.constraint === constraint;
    current = candidate.cause;
  }
  return false;
}
