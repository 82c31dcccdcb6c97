import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { missingOptionalPackages, type LockFile } from "./lib/lock-file";

const root = path.resolve(import.meta.dirname, "..");
const committed = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as LockFile;

describe("package-lock.json", () => {
  it("holds every platform's optional packages, so that npm ci works on a fresh clone anywhere", () => {
    expect(missingOptionalPackages(committed)).toEqual([]);
  });

  it("is a lock file npm ci reads (version 3, with packages)", () => {
    expect(committed.lockfileVersion).toBe(3);
    expect(Object.keys(committed.packages ?? {}).length).toBeGreaterThan(100);
  });
});

describe("missingOptionalPackages", () => {
  it("names a platform package that a dependency declares but the lock file lacks", () => {
    const lock: LockFile = {
      packages: {
        "": {},
        "node_modules/next": { optionalDependencies: { "@next/swc-linux-x64-gnu": "16.4.6", "@next/swc-darwin-arm64": "16.4.6" } },
        "node_modules/@next/swc-linux-x64-gnu": {},
      },
    };
    expect(missingOptionalPackages(lock)).toEqual([{ declaredBy: "next", name: "@next/swc-darwin-arm64" }]);
  });

  it("finds a package nested under its dependent or hoisted to any ancestor", () => {
    const lock: LockFile = {
      packages: {
        "node_modules/a/node_modules/b": { optionalDependencies: { c: "1", d: "1", e: "1" } },
        "node_modules/a/node_modules/b/node_modules/c": {},
        "node_modules/a/node_modules/d": {},
        "node_modules/e": {},
      },
    };
    expect(missingOptionalPackages(lock)).toEqual([]);
  });
});
