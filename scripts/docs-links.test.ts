import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** README.md and docs/ point only at files that are in the repository (a clone has nothing else). */
const root = path.resolve(import.meta.dirname, "..");
const docs = ["README.md", ...readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

function referencedFiles(text: string): string[] {
  const links = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((href) => !/^[a-z]+:/i.test(href));
  // Paths written as code that name a file: `docs/ARCHITECTURE.md`, `../x/y.md`.
  const code = [...text.matchAll(/`([^`\s]+\.(?:md|ts|tsx|json|mjs))`/g)].map((m) => m[1]!)
    .filter((p) => p.includes("/") || p.endsWith(".md"))
    // Globs and files the app writes at run time (.data/) are not references to repository files.
    .filter((p) => !/[*<{]/.test(p) && !p.startsWith(".data/"));
  return [...links, ...code];
}

describe("documentation links", () => {
  it.each(docs)("%s names only files in the repository", (doc) => {
    const text = readFileSync(path.join(root, doc), "utf8");
    const missing = referencedFiles(text).filter((ref) => {
      const clean = ref.replace(/:\d+$/, "");
      return !existsSync(path.resolve(root, path.dirname(doc), clean)) && !existsSync(path.resolve(root, clean));
    });
    expect(missing).toEqual([]);
  });
});
