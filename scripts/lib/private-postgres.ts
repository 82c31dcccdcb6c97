/**
 * A throwaway PostgreSQL cluster of our own (initdb + pg_ctl on a free loopback port, in a temp
 * directory), for tests that must stop or restart the database server: the machine's PostgreSQL
 * service is shared and is never restarted by a test. Uses the server binaries of the installed
 * PostgreSQL (Debian: /usr/lib/postgresql/<major>/bin). As root the cluster runs as the
 * `postgres` account, since the server refuses to run as root.
 */
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePorts } from "./local-core";

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  dir: string;
  /** Stops the server (fast shutdown: open connections are cut) and starts it again; resolves once it accepts connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** For an exit handler: an immediate stop, waited for synchronously. */
  stopSync(): void;
}

function binDir(): string {
  const base = "/usr/lib/postgresql";
  const majors = existsSync(base) ? readdirSync(base).filter((d) => existsSync(path.join(base, d, "bin", "pg_ctl"))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`No PostgreSQL server binaries under ${base} (Debian package postgresql-<major>).`);
  return path.join(base, newest, "bin");
}

function runAs(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  const uid = id("-u");
  const gid = id("-g");
  if (!Number.isInteger(uid) || uid <= 0) throw new Error("Running as root, but there is no `postgres` account to run a private PostgreSQL as.");
  return { uid, gid };
}

function exec(file: string, args: string[], user: { uid: number; gid: number } | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], ...(user ?? {}), env: { ...process.env, LC_ALL: "C" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} ${args.join(" ")} failed (exit ${code}):\n${output.trim()}`))));
  });
}

export async function startPrivatePostgres(database = "listkeeper"): Promise<PrivatePostgres> {
  const bin = binDir();
  const user = runAs();
  const dir = mkdtempSync(path.join(tmpdir(), "listkeeper-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, "data");
  const [port] = (await freePorts(1)) as [number];
  await exec(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], user);
  // Loopback TCP only, its socket in its own directory; fsync off: a test cluster, thrown away.
  const options = `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const ctl = (...args: string[]) => exec(path.join(bin, "pg_ctl"), ["-D", data, "-w", "-t", "60", "-l", path.join(dir, "server.log"), ...args], user);
  await ctl("-o", options, "start");
  await exec(path.join(bin, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-q", "-c", `create database ${database}`], null);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    port,
    dir,
    async restart() {
      await ctl("-m", "fast", "stop");
      await ctl("-o", options, "start");
    },
    async stop() {
      await ctl("-m", "immediate", "stop").catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
    stopSync() {
      spawnSync(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], { stdio: "ignore", ...(user ?? {}) });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
