/**
 * Checks that package-lock.json holds every optional package its packages declare, for every
 * platform. npm on one machine may write a lock file without other platforms' optional packages
 * (`@next/swc-darwin-*`, `@tailwindcss/oxide-*`), and `npm ci` on a fresh clone then refuses it
 * ("missing from lock file"). scripts/lock-file.test.ts runs this on the committed lock file.
 */

interface LockPackage {
  optionalDependencies?: Record<string, string>;
}

export interface LockFile {
  lockfileVersion?: number;
  packages?: Record<string, LockPackage>;
}

export interface MissingOptional {
  /** The package that declares it ("" is the project itself). */
  declaredBy: string;
  name: string;
}

/** Where Node (and npm) would look for `name` from the package at `path`: its own node_modules, then each ancestor's. */
function candidates(path: string, name: string): string[] {
  const found: string[] = [];
  let base = path;
  for (;;) {
    found.push(base ? `${base}/node_modules/${name}` : `node_modules/${name}`);
    if (!base) break;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut > 0 ? base.slice(0, cut) : "";
  }
  return found;
}

export function missingOptionalPackages(lock: LockFile): MissingOptional[] {
  const packages = lock.packages ?? {};
  const missing: MissingOptional[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      if (!candidates(path, name).some((candidate) => candidate in packages)) missing.push({ declaredBy: path.replace(/^node_modules\//, ""), name });
    }
  }
  return missing;
}
