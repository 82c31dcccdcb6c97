import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** The CLI as scripts use it: separate processes over one database, JSON out, exit codes. */
const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "lk-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lk(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: path.join(dir, "pglite"), LOG_LEVEL: "error" };
  delete env.DATABASE_URL;
  const result = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/lk.ts", ...args], { cwd: root, env, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run lk", () => {
  it("adds a person with typed addresses and shows it from another process; bad input exits non-zero with words", () => {
    const added = lk("people", "add", "--name", "Ada Lovelace", "--email", "Ada@Example.org:official", "ada@home.example");
    expect(added.status, added.stderr).toBe(0);
    const person = JSON.parse(added.stdout) as { id: number; displayName: string; emails: { address: string; type: string }[]; jobIds: number[] };
    expect(person.displayName).toBe("Ada Lovelace");
    expect(person.emails.map((e) => [e.address, e.type])).toEqual([
      ["Ada@Example.org", "official"],
      ["ada@home.example", expect.any(String)],
    ]);

    const shown = lk("people", "show", String(person.id));
    expect(shown.status, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: person.id, displayName: "Ada Lovelace" });

    const bad = lk("people", "show", "twelve");
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/not a whole number/);
  });
});
