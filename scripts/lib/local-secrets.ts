import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const dataDir = path.join(repoRoot, ".data");

function readOrCreate(file: string, make: () => string): { value: string; created: boolean } {
  mkdirSync(path.dirname(file), { recursive: true });
  if (existsSync(file)) return { value: readFileSync(file, "utf8").trim(), created: false };
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
}

/**
 * For local runs only (demo, tests): the secrets key that encrypts Mailman passwords and the
 * session-signing secret are generated once under .data/ (mode 0600) unless the environment
 * already provides them. Production deployments set both in the environment.
 */
export function ensureLocalSecrets(log: (line: string) => void = () => {}): { LISTKEEPER_SECRET_KEY: string; AUTH_SECRET: string } {
  let key = process.env.LISTKEEPER_SECRET_KEY;
  if (!key) {
    const file = path.join(dataDir, "secret.key");
    const result = readOrCreate(file, () => randomBytes(32).toString("base64"));
    key = result.value;
    log(`${result.created ? "Generated" : "Using"} the secrets key in ${path.relative(repoRoot, file)} (encrypts Mailman REST passwords; keep it private).`);
  }
  let authSecret = process.env.AUTH_SECRET;
  if (!authSecret) {
    const result = readOrCreate(path.join(dataDir, "auth-secret"), () => randomBytes(32).toString("base64url"));
    authSecret = result.value;
  }
  process.env.LISTKEEPER_SECRET_KEY = key;
  process.env.AUTH_SECRET = authSecret;
  return { LISTKEEPER_SECRET_KEY: key, AUTH_SECRET: authSecret };
}

export function randomPassword(bytes = 12): string {
  return randomBytes(bytes).toString("base64url");
}
