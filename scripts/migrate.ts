/** Applies the committed drizzle migrations to the configured database (they also run on start). */
import { ensureLocalSecrets } from "./lib/local-secrets";

async function main() {
  ensureLocalSecrets();
  const { getDb, closeDb } = await import("@/db/client");
  await getDb();
  await closeDb();
  console.log(process.env.DATABASE_URL ? "Migrated the PostgreSQL database." : `Migrated the PGlite database in ${process.env.PGLITE_DIR ?? ".data/pglite"}.`);
}

void main();
