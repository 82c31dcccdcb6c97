import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The rule of issue 11: audit rows are written in one place for every entry point. Lib functions
 * describe their changes (`noteChange`, `auditStep`); only the writer inserts rows, and only the
 * doors open a scope. This test reads the source so that the rule holds for code not written yet.
 */

const root = path.resolve(__dirname, "../..");
const SCANNED = ["app", "lib", "components", "db", "scripts", "bench"];

/** The one writer of rows. */
const WRITER = "lib/audit/record.ts";

/** Entry glue: the doors that open an audit scope around the work. */
const DOORS = [
  "lib/audit/",
  "lib/entry/",
  "lib/actions/",
  "lib/jobs/",
  // Command-line entry points.
  "scripts/",
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) out.push(...sourceFiles(rel));
    } else if (/\.(ts|tsx|mts)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

const files = SCANNED.flatMap(sourceFiles).map((file) => ({ file, text: readFileSync(path.join(root, file), "utf8") }));

/** Inserting into the audit table, by the Drizzle table or by SQL. */
const INSERTS_ROWS = /\.insert\(\s*auditEvents\s*\)|insert\s+into\s+"?audit_events"?/i;
const OPENS_SCOPE = /\bwithAuditScope\s*\(/;

describe("the audit writer rule", () => {
  it("finds the writer and the doors it checks (the scan is not empty)", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files.find((f) => f.file === WRITER)?.text).toMatch(INSERTS_ROWS);
    expect(files.filter((f) => OPENS_SCOPE.test(f.text) && f.file !== WRITER).map((f) => f.file)).toEqual(
      expect.arrayContaining(["lib/actions/action-audit.ts", "lib/entry/route.ts", "lib/entry/scim-endpoint.ts", "lib/jobs/worker.ts", "scripts/lk.ts"]),
    );
  });

  it("lets no file but the writer insert audit rows", () => {
    const offenders = files.filter((f) => f.file !== WRITER && INSERTS_ROWS.test(f.text)).map((f) => f.file);
    expect(offenders, "describe the change with noteChange/auditStep from @/lib/audit instead").toEqual([]);
  });

  it("lets only entry points open an audit scope (a lib function describes, the door writes)", () => {
    const offenders = files.filter((f) => OPENS_SCOPE.test(f.text) && !DOORS.some((door) => f.file.startsWith(door))).map((f) => f.file);
    expect(offenders, "open the scope in the entry point (lib/entry, lib/actions, lib/jobs, scripts)").toEqual([]);
  });

  it("keeps the per-function writer of old gone", () => {
    const offenders = files.filter((f) => /\brecordAudit\s*\(/.test(f.text)).map((f) => f.file);
    expect(offenders).toEqual([]);
  });
});
