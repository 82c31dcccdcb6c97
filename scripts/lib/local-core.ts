/**
 * Throwaway GNU Mailman 3 cores for development, the demo and the integration tests.
 *
 * Each core lives in its own directory (`<repo>/.data/mailman/<name>` by default) with its own
 * configuration, SQLite database, free loopback ports, random REST credentials and an SMTP sink
 * (aiosmtpd writing a Maildir) so that outgoing mail can be inspected. Uses Debian's `mailman3`
 * package; no Next.js imports, so it runs under tsx and Vitest alike.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const mailmanBin = "/usr/bin/mailman";
/** Debian's interpreter: the one that has mailman and aiosmtpd (a pyenv `python3` on PATH does not). */
export const systemPython = "/usr/bin/python3";
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const defaultBaseDir = path.join(repoRoot, ".data", "mailman");

const REST_USER = "listkeeper";
// On a machine whose two cores are busy with other test runs, the core's runners take minutes to start.
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;

export interface LocalCore {
  name: string;
  /** Without the API version, e.g. `http://127.0.0.1:41234`. */
  restUrl: string;
  user: string;
  password: string;
  smtpHost: string;
  smtpPort: number;
  /** Where the SMTP sink stores every message the core sends. */
  maildir: string;
  varDir: string;
  dir: string;
  /** The master runner; it leads its own process group, which holds every runner. */
  pid: number;
  sinkPid: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

// ---------------------------------------------------------------------------------------------
// Installation

/** Installs Debian's `mailman3` when missing (as root), or explains how to. Quiet when installed. */
export async function ensureMailmanInstalled(): Promise<void> {
  if (existsSync(mailmanBin)) return;
  if (!isRoot()) {
    throw new Error(
      `GNU Mailman 3 is not installed (${mailmanBin} is missing). Install the Debian package, ` +
        "e.g. `sudo apt-get install --no-install-recommends mailman3`, then try again.",
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args: string[]) => {
    const result = spawnSync("apt-get", args, { env, stdio: ["ignore", "inherit", "inherit"] });
    if (result.error) throw new Error(`apt-get ${args.join(" ")} failed: ${result.error.message}`);
    return result.status === 0;
  };
  // The package index is only refreshed when apt does not know the package yet.
  const known = spawnSync("apt-cache", ["show", "mailman3"], { stdio: "ignore" }).status === 0;
  if (!known && !run(["update"])) throw new Error("apt-get update failed; cannot install mailman3.");
  if (!run(["install", "-y", "--no-install-recommends", "mailman3"]) || !existsSync(mailmanBin)) {
    throw new Error(`Installing mailman3 with apt-get failed; ${mailmanBin} is still missing.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Synchronous on purpose: /proc reads are instant and this keeps the process checks simple. */
function readProcFile(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** State and process group of `pid` from /proc/<pid>/stat, or null when unknown. */
function procStat(pid: number | string): { state: string; pgrp: number } | null {
  const stat = readProcFile(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (2nd field) may contain spaces and parentheses: split after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", pgrp: Number(fields[2]) };
}

/** Whether `pid` runs. A zombie counts as gone: orphans re-parented to a PID 1 that never reaps linger as zombies. */
export function isProcessAlive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const state = procStat(pid)?.state;
  return state !== "Z" && state !== "X";
}

/** Live members of a process group (Linux /proc); falls back to the leader alone elsewhere. */
function processGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return isProcessAlive(pgid) ? [pgid] : [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X") members.push(Number(entry));
  }
  return members;
}

/**
 * Checks that `pid` still is the process we started (by its command line), so that a stale
 * core.json never makes us signal an unrelated process that reused the pid.
 */
function commandLineContains(pid: number, needle: string): boolean {
  const cmdline = readProcFile(`/proc/${pid}/cmdline`);
  if (cmdline === null) return isProcessAlive(pid); // no /proc: trust the pid
  return cmdline.split("\0").some((arg) => arg.includes(needle));
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** SIGTERMs the group's leader, waits for the whole group to go, then SIGKILLs what is left. */
async function terminateGroup(pgid: number, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  if (processGroupMembers(pgid).length === 0) return;
  // The leader forwards SIGTERM to its children; without a leader, the orphans get it directly.
  signal(isProcessAlive(pgid) ? pgid : -pgid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (processGroupMembers(pgid).length === 0) return;
    await sleep(100);
  }
  signal(-pgid, "SIGKILL");
  for (let i = 0; i < 50 && processGroupMembers(pgid).length > 0; i++) await sleep(100);
}

// ---------------------------------------------------------------------------------------------
// Ports, files

/** Distinct free loopback ports: all are bound at once so the kernel cannot hand one out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function waitForPort(port: number, timeoutMs: number, alive: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline || !alive()) resolve(false);
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export function coreDir(nameOrDir: string, baseDir = defaultBaseDir): string {
  if (nameOrDir.includes("/") || nameOrDir.includes(path.sep)) return path.resolve(nameOrDir);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(nameOrDir)) throw new Error(`Invalid core name: ${nameOrDir}`);
  return path.join(baseDir, nameOrDir);
}

export async function readCoreInfo(dir: string): Promise<LocalCore | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, "core.json"), "utf8")) as LocalCore;
  } catch {
    return null;
  }
}

async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(file, "utf8")).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Last `lines` lines of the core's log, for error messages. */
export async function mailmanLogTail(varDir: string, lines = 40): Promise<string> {
  try {
    const text = await readFile(path.join(varDir, "logs", "mailman.log"), "utf8");
    return text.trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no mailman.log)";
  }
}

function mailmanConfig(core: { varDir: string; restPort: number; lmtpPort: number; smtpPort: number; password: string }): string {
  return `# Generated by scripts/lib/local-core.ts for a throwaway core.
[mailman]
layout: here
site_owner: postmaster@example.test

[paths.here]
var_dir: ${core.varDir}
bin_dir: /usr/lib/mailman3/bin

[webservice]
hostname: 127.0.0.1
port: ${core.restPort}
admin_user: ${REST_USER}
admin_pass: ${core.password}

[mta]
incoming: mailman.mta.null.NullMTA
lmtp_host: 127.0.0.1
lmtp_port: ${core.lmtpPort}
smtp_host: 127.0.0.1
smtp_port: ${core.smtpPort}

# Its gatenews job fails when run as root and fills the log; no NNTP here anyway.
[runner.nntp]
start: no
`;
}

/** The environment of the Python processes: a pyenv or virtualenv must not leak into Debian's python. */
function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "MAILMAN_CONFIG_FILE", "MAILMAN_VAR_DIR"]) {
    delete env[key];
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// Start, check, stop

/**
 * Whether the recorded core's master runs and its REST API accepts the recorded credentials.
 * A busy core gets `graceMs` to answer, so that a slow reply never gets a healthy core restarted.
 */
export async function isCoreAlive(core: LocalCore, graceMs = 0): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    if (!isProcessAlive(core.pid) || !commandLineContains(core.pid, "master")) return false;
    if ((await restStatus(core.restUrl, core.user, core.password)) === 200) return true;
    if (Date.now() >= deadline) return false;
    await sleep(500);
  }
}

async function restStatus(restUrl: string, user: string, password: string): Promise<number | null> {
  try {
    const response = await fetch(`${restUrl}/3.1/system/versions`, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
      signal: AbortSignal.timeout(2_000),
    });
    await response.body?.cancel();
    return response.status;
  } catch {
    return null;
  }
}

function startSink(maildir: string, port: number, logFile: string): number {
  const log = openSync(logFile, "a", 0o600);
  try {
    const child = spawn(
      systemPython,
      // -n: do not setuid to nobody (aiosmtpd does that when started as root).
      ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${port}`, "-c", "aiosmtpd.handlers.Mailbox", maildir],
      { detached: true, stdio: ["ignore", log, log], env: pythonEnv() },
    );
    child.unref();
    if (!child.pid) throw new Error(`Could not start the SMTP sink (${systemPython} -m aiosmtpd)`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** Runs `mailman start`, which forks the master and exits; resolves with the master's pid. */
async function startMaster(configFile: string, varDir: string, logFile: string, force = false): Promise<number> {
  const log = openSync(logFile, "a", 0o600);
  let exitCode: number | null;
  try {
    // The forked master inherits stdout/stderr: they must not be pipes that we wait on.
    const child = spawn(mailmanBin, [...(isRoot() ? ["--run-as-root"] : []), "-C", configFile, "start", ...(force ? ["--force"] : [])], {
      stdio: ["ignore", log, log],
      env: pythonEnv(),
      cwd: path.dirname(configFile),
    });
    exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => resolve(code));
    });
  } finally {
    closeSync(log);
  }
  if (exitCode !== 0) throw new Error(`\`mailman start\` exited with ${exitCode}; see ${logFile}`);
  const pidFile = path.join(varDir, "master.pid");
  for (let i = 0; i < 200; i++) {
    const pid = await readPidFile(pidFile);
    if (pid) return pid;
    await sleep(50);
  }
  throw new Error(`Mailman's master did not write ${pidFile}; see ${logFile} and ${path.join(varDir, "logs", "mailman.log")}`);
}

/**
 * Starts (or finds already running) the core called `name`. Idempotent: a core recorded in
 * `<dir>/core.json` that still answers is returned as is; anything else in the directory is
 * stopped and wiped first.
 */
export async function startLocalCore(options: { name: string; baseDir?: string }): Promise<LocalCore> {
  const dir = coreDir(options.name, options.baseDir);
  const existing = await readCoreInfo(dir);
  if (existing && (await isCoreAlive(existing, 10_000))) return existing;
  if (existsSync(dir)) await stopLocalCore(dir);

  await rm(dir, { recursive: true, force: true });
  const varDir = path.join(dir, "var");
  const maildir = path.join(dir, "maildir");
  await mkdir(varDir, { recursive: true, mode: 0o700 });
  // The directory holds the REST password: keep it private.
  await chmod(dir, 0o700);
  await mkdir(maildir, { recursive: true });
  for (const sub of ["tmp", "new", "cur"]) await mkdir(path.join(maildir, sub), { recursive: true });

  const [restPort, lmtpPort, smtpPort] = (await freePorts(3)) as [number, number, number];
  const password = randomBytes(18).toString("base64url");
  const configFile = path.join(dir, "mailman.cfg");
  await writeFile(configFile, mailmanConfig({ varDir, restPort, lmtpPort, smtpPort, password }), { mode: 0o600 });

  const sinkPid = startSink(maildir, smtpPort, path.join(dir, "smtp-sink.log"));
  await writeFile(path.join(dir, "sink.pid"), `${sinkPid}\n`);
  let masterPid: number | undefined;
  try {
    if (!(await waitForPort(smtpPort, 15_000, () => isProcessAlive(sinkPid)))) {
      const sinkLog = await readFile(path.join(dir, "smtp-sink.log"), "utf8").catch(() => "");
      throw new Error(`The SMTP sink did not listen on 127.0.0.1:${smtpPort}.\n${sinkLog.trim()}`);
    }
    masterPid = await startMaster(configFile, varDir, path.join(dir, "mailman-start.log"));

    const restUrl = `http://127.0.0.1:${restPort}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    let status: number | null = null;
    while (Date.now() < deadline) {
      status = await restStatus(restUrl, REST_USER, password);
      if (status === 200) break;
      if (!isProcessAlive(masterPid)) break;
      await sleep(250);
    }
    if (status !== 200) {
      const why = isProcessAlive(masterPid) ? `did not answer within ${START_TIMEOUT_MS / 1000} s (last status: ${status ?? "no connection"})` : "exited";
      throw new Error(`The Mailman core "${options.name}" ${why}. Tail of ${path.join(varDir, "logs", "mailman.log")}:\n${await mailmanLogTail(varDir)}`);
    }

    const core: LocalCore = {
      name: options.name,
      restUrl,
      user: REST_USER,
      password,
      smtpHost: "127.0.0.1",
      smtpPort,
      maildir,
      varDir,
      dir,
      pid: masterPid,
      sinkPid,
    };
    await writeFile(path.join(dir, "core.json"), `${JSON.stringify(core, null, 2)}\n`, { mode: 0o600 });
    return core;
  } catch (error) {
    // Never leave half-started processes behind.
    if (masterPid) await terminateGroup(masterPid);
    await terminateGroup(sinkPid);
    throw error;
  }
}

/**
 * Stops the core called `nameOrDir` (a name under the base directory, or a directory path): the
 * master (whose SIGTERM stops every runner) and the SMTP sink. Idempotent; SIGKILLs after 15 s.
 * Works on half-started directories too, from `var/master.pid` and `sink.pid`.
 */
export async function stopLocalCore(nameOrDir: string, baseDir?: string): Promise<void> {
  const dir = coreDir(nameOrDir, baseDir);
  const core = await readCoreInfo(dir);
  const masterPids = new Set<number>();
  const sinkPids = new Set<number>();
  if (core?.pid) masterPids.add(core.pid);
  if (core?.sinkPid) sinkPids.add(core.sinkPid);
  const pidFromFile = await readPidFile(path.join(dir, "var", "master.pid"));
  if (pidFromFile) masterPids.add(pidFromFile);
  const sinkFromFile = await readPidFile(path.join(dir, "sink.pid"));
  if (sinkFromFile) sinkPids.add(sinkFromFile);

  // A live leader must still be our process; a dead one's group can only hold our orphans.
  const ours = (needle: string) => (pid: number) => !isProcessAlive(pid) || commandLineContains(pid, needle);
  const targets = [...[...masterPids].filter(ours("master")), ...[...sinkPids].filter(ours("aiosmtpd"))];
  // Both are process-group leaders (the master calls setsid(); the sink is spawned detached).
  await Promise.all(targets.map((pid) => terminateGroup(pid)));
}

/**
 * SIGKILLs the core called `name` (the master and every runner, no clean-up), as a crash or the
 * OOM killer would; its SMTP sink keeps running. For fault tests; `restartLocalCore` brings it back.
 */
export async function killLocalCore(name: string, baseDir?: string): Promise<void> {
  const core = await readCoreInfo(coreDir(name, baseDir));
  if (!core) throw new Error(`No core "${name}" is recorded.`);
  if (isProcessAlive(core.pid) && !commandLineContains(core.pid, "master")) throw new Error(`pid ${core.pid} is not the core's master any more.`);
  signal(-core.pid, "SIGKILL");
  for (let i = 0; i < 100 && processGroupMembers(core.pid).length > 0; i++) await sleep(50);
}

/**
 * Starts a core that `killLocalCore` (or a crash) stopped, with its data, ports and credentials:
 * `mailman start --force` clears the lock the dead master left behind. Resolves once REST answers.
 */
export async function restartLocalCore(name: string, baseDir?: string): Promise<LocalCore> {
  const dir = coreDir(name, baseDir);
  const core = await readCoreInfo(dir);
  if (!core) throw new Error(`No core "${name}" is recorded.`);
  if (await isCoreAlive(core)) return core;
  await rm(path.join(core.varDir, "master.pid"), { force: true });
  const pid = await startMaster(path.join(dir, "mailman.cfg"), core.varDir, path.join(dir, "mailman-start.log"), true);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while ((await restStatus(core.restUrl, core.user, core.password)) !== 200) {
    if (Date.now() > deadline || !isProcessAlive(pid)) {
      throw new Error(`The Mailman core "${name}" did not come back. Tail of its log:\n${await mailmanLogTail(core.varDir)}`);
    }
    await sleep(250);
  }
  const restarted = { ...core, pid };
  await writeFile(path.join(dir, "core.json"), `${JSON.stringify(restarted, null, 2)}\n`, { mode: 0o600 });
  return restarted;
}

/** Every core directory under `baseDir` with its recorded info (null when it never finished starting). */
export async function listLocalCores(baseDir = defaultBaseDir): Promise<{ name: string; dir: string; core: LocalCore | null }[]> {
  let names: string[];
  try {
    names = (await readdir(baseDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  return Promise.all(
    names.sort().map(async (name) => {
      const dir = path.join(baseDir, name);
      return { name, dir, core: await readCoreInfo(dir) };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Mail written by the SMTP sink

export interface SentMessage {
  /** Path of the message file in the Maildir. */
  file: string;
  raw: string;
  /** Lower-cased header name → first value, unfolded (not RFC 2047-decoded). */
  headers: Record<string, string>;
  /** Envelope recipients (the sink's X-RcptTo header), else the addresses in To:. */
  to: string[];
  /** Decoded Subject. */
  subject: string;
  /** Text of the first text/plain part (else the first text part), transfer-decoded, LF line ends. */
  body: string;
}

interface MimePart {
  headers: Record<string, string>;
  /** Latin-1 string: one character per byte, so that byte-level decoding stays exact. */
  body: string;
}

function parsePart(bytes: string): MimePart {
  const separator = /\r?\n\r?\n/.exec(bytes);
  const head = separator ? bytes.slice(0, separator.index) : bytes;
  const body = separator ? bytes.slice(separator.index + separator[0].length) : "";
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Headers are ASCII or (SMTPUTF8) UTF-8.
    if (!(name in headers)) headers[name] = Buffer.from(line.slice(colon + 1).trim(), "latin1").toString("utf8");
  }
  return { headers, body };
}

function headerParam(value: string | undefined, param: string): string | undefined {
  if (!value) return undefined;
  const match = new RegExp(`;\\s*${param}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset?.toLowerCase() || "utf-8").decode(bytes);
  } catch {
    return bytes.toString("utf8");
  }
}

function transferDecode(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
    case "quoted-printable":
      return Buffer.from(
        body.replace(/[ \t]+(?=\r?\n)/g, "").replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1",
      );
    default:
      return Buffer.from(body, "latin1");
  }
}

/** Decodes RFC 2047 encoded words (`=?utf-8?q?…?=`, `=?utf-8?b?…?=`). */
export function decodeHeaderWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset: string, kind: string, text: string) => {
      const bytes =
        kind.toUpperCase() === "B"
          ? Buffer.from(text, "base64")
          : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1");
      return decodeCharset(bytes, charset.replace(/\*.*$/, ""));
    });
}

/** The text part to show: first text/plain, else first text/*, searched depth-first. */
function textOf(part: MimePart): string | undefined {
  const contentType = part.headers["content-type"] ?? "text/plain";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (mediaType.startsWith("multipart/")) {
    const boundary = headerParam(contentType, "boundary");
    if (!boundary) return undefined;
    const delimiter = `--${boundary}`;
    const chunks = part.body.split(new RegExp(`\\r?\\n?${delimiter.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?[ \\t]*\\r?\\n?`));
    const parts = chunks.slice(1, -1).map(parsePart);
    const plain = parts.find((p) => (p.headers["content-type"] ?? "text/plain").toLowerCase().startsWith("text/plain"));
    for (const candidate of plain ? [plain, ...parts] : parts) {
      const text = textOf(candidate);
      if (text !== undefined) return text;
    }
    return undefined;
  }
  if (!mediaType.startsWith("text/")) return undefined;
  const bytes = transferDecode(part.body, part.headers["content-transfer-encoding"]);
  return decodeCharset(bytes, headerParam(contentType, "charset")).replace(/\r\n/g, "\n");
}

const ADDRESS = /[^\s<>,;:"()]+@[^\s<>,;:"()]+/g;

export function parseMessage(file: string, data: Buffer): SentMessage {
  const top = parsePart(data.toString("latin1"));
  const envelope = top.headers["x-rcptto"];
  const to = (envelope ?? top.headers["to"] ?? "").match(ADDRESS) ?? [];
  return {
    file,
    raw: data.toString("utf8"),
    headers: top.headers,
    to: to.map((address) => address.toLowerCase()),
    subject: decodeHeaderWords(top.headers["subject"] ?? ""),
    body: textOf(top) ?? "",
  };
}

/** Every message the sink received, oldest first. */
export async function readSentMail(maildir: string): Promise<SentMessage[]> {
  const files: { file: string; mtime: number }[] = [];
  for (const sub of ["new", "cur"]) {
    let names: string[];
    try {
      names = await readdir(path.join(maildir, sub));
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const file = path.join(maildir, sub, name);
      try {
        files.push({ file, mtime: (await stat(file)).mtimeMs });
      } catch {
        // Moved between readdir and stat (new/ → cur/ by a reader): picked up on the next poll.
      }
    }
  }
  files.sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file));
  const messages: SentMessage[] = [];
  for (const { file } of files) {
    try {
      messages.push(parseMessage(file, await readFile(file)));
    } catch {
      // Same race as above.
    }
  }
  return messages;
}

/** Polls the Maildir until a message matches `predicate`; throws after `timeoutMs`, listing what arrived. */
export async function waitForMail(
  maildir: string,
  predicate: (message: SentMessage) => boolean,
  timeoutMs = 30_000,
): Promise<SentMessage> {
  const deadline = Date.now() + timeoutMs;
  let seen: SentMessage[] = [];
  for (;;) {
    seen = await readSentMail(maildir);
    const match = seen.find(predicate);
    if (match) return match;
    if (Date.now() > deadline) break;
    await sleep(200);
  }
  const summary = seen.map((m) => `  to ${m.to.join(", ")}: ${m.subject}`).join("\n") || "  (none)";
  throw new Error(`No matching mail in ${maildir} after ${timeoutMs} ms. Received:\n${summary}`);
}
