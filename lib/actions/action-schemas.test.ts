import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";

/**
 * Every input schema the server actions import from lib/ (found in the "use server" files, so a
 * new one is covered without being listed), under random and hostile values with fast-check
 * (fixed seed): parsing never throws, answers within a bound, and refuses anything that is not an
 * object. The actions themselves are fuzzed over HTTP in e2e/action-fuzz.exclusive.spec.ts.
 */

const root = path.resolve(__dirname, "../..");

function actionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return actionFiles(full);
    return /\.tsx?$/.test(e.name) && /^\s*["']use server["']/.test(readFileSync(full, "utf8")) ? [full] : [];
  });
}

/** `module → names` of what the action files import from lib/ that looks like a schema. */
function importedSchemas(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of actionFiles(path.join(root, "app"))) {
    for (const m of readFileSync(file, "utf8").matchAll(/import\s*\{([^}]+)\}\s*from\s*"@\/(lib\/[^"]+)"/g)) {
      const names = m[1]!.split(",").map((n) => n.trim().replace(/^type\s+/, "")).filter((n) => /(Schema|Input|Request|Ref|Id)$/.test(n));
      if (names.length === 0) continue;
      const set = out.get(m[2]!) ?? new Set<string>();
      for (const n of names) set.add(n);
      out.set(m[2]!, set);
    }
  }
  return out;
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("' or 1=1 --", "\u0000", "a\r\nSet-Cookie: x=1", "../..", "..", "^(a+)+$", "99999999999999999999", "-1", "1e309", "NaN", "x@", "a@b", "=cmd()"),
  fc.string({ minLength: 5_000, maxLength: 10_000 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, 2 ** 53, -0, NaN, Infinity, 1e300),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(hostileText, { maxLength: 3 }),
);

async function loadSchemas(): Promise<{ label: string; schema: z.ZodType }[]> {
  const schemas: { label: string; schema: z.ZodType }[] = [];
  for (const [module, names] of importedSchemas()) {
    const mod = (await import(/* @vite-ignore */ path.join(root, module))) as Record<string, unknown>;
    for (const name of names) {
      const value = mod[name];
      if (value instanceof z.ZodType) schemas.push({ label: `${module}#${name}`, schema: value });
    }
  }
  return schemas;
}

describe("the server actions' input schemas under random and hostile values", () => {
  it("parse anything without throwing, quickly, and refuse what is not an object", { timeout: 120_000 }, async () => {
    const schemas = await loadSchemas();
    expect(schemas.length, "schemas found in the action files' imports").toBeGreaterThanOrEqual(40);
    for (const { label, schema } of schemas) {
      const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape as Record<string, unknown>) : [];
      const fields = keys.length > 0 ? fc.constantFrom(...keys, "unknown", "__proto__", "constructor") : fc.string({ maxLength: 8 });
      const input = fc.oneof({ weight: 4, arbitrary: fc.dictionary(fields, hostileValue, { maxKeys: 8 }) }, hostileValue);
      fc.assert(
        fc.property(input, (value) => {
          const started = performance.now();
          const result = schema.safeParse(value);
          const ms = performance.now() - started;
          expect(ms, `${label}: parsed in ${ms.toFixed(0)} ms`).toBeLessThan(500);
          if (value === null || typeof value !== "object") {
            if (schema instanceof z.ZodObject) expect(result.success, `${label} took ${String(value).slice(0, 40)}`).toBe(false);
          }
        }),
        { numRuns: 30, seed: 20261201, endOnFailure: true },
      );
    }
  });

  it("bound every text field: a string longer than anything pasted is refused where it stands", { timeout: 120_000 }, async () => {
    // Longer than the largest thing the forms send (mass subscribe's 2M characters of pasted text).
    const huge = "a".repeat(2_100_000);
    const unbounded: string[] = [];
    for (const { label, schema } of await loadSchemas()) {
      if (!(schema instanceof z.ZodObject)) continue;
      for (const key of Object.keys(schema.shape as Record<string, unknown>)) {
        const result = schema.safeParse({ [key]: huge });
        if (result.success || !result.error.issues.some((issue) => issue.path[0] === key)) unbounded.push(`${label}.${key}`);
      }
    }
    expect(unbounded).toEqual([]);
  });
});
