/**
 * Starts, stops and lists throwaway Mailman cores for development.
 *
 *   tsx scripts/mailman-core.ts start [--name demo] [--print-password]
 *   tsx scripts/mailman-core.ts stop [--name demo]
 *   tsx scripts/mailman-core.ts status [--name demo]
 *
 * The REST password stays in core.json (mode 0600) unless --print-password is given, so that it
 * does not end up in terminal scrollback or CI logs.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import {
  coreDir,
  ensureMailmanInstalled,
  isCoreAlive,
  listLocalCores,
  startLocalCore,
  stopLocalCore,
} from "./lib/local-core";

const usage = "Usage: tsx scripts/mailman-core.ts <start|stop|status> [--name NAME] [--print-password]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: "string" },
      "print-password": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command || positionals.length > 1) {
    console.log(usage);
    return values.help ? 0 : 2;
  }

  switch (command) {
    case "start": {
      const name = values.name ?? "demo";
      await ensureMailmanInstalled();
      const core = await startLocalCore({ name });
      console.log(`Mailman core "${core.name}" is running (master pid ${core.pid}).`);
      console.log(`  REST URL:  ${core.restUrl}`);
      console.log(`  REST user: ${core.user}`);
      if (values["print-password"]) console.log(`  REST password: ${core.password}`);
      console.log(`  Details (password included): ${path.join(core.dir, "core.json")}`);
      console.log(`  Outgoing mail: ${core.maildir}`);
      return 0;
    }
    case "stop": {
      const name = values.name ?? "demo";
      await stopLocalCore(name);
      console.log(`Mailman core "${name}" is stopped.`);
      return 0;
    }
    case "status": {
      const cores = (await listLocalCores()).filter((entry) => !values.name || entry.name === values.name);
      if (values.name && cores.length === 0) {
        console.log(`No Mailman core named "${values.name}" (${coreDir(values.name)}).`);
        return 1;
      }
      if (cores.length === 0) console.log("No local Mailman cores.");
      let allRunning = true;
      for (const { name, dir, core } of cores) {
        const running = core !== null && (await isCoreAlive(core));
        allRunning &&= running;
        const where = core ? `${core.restUrl} (pid ${core.pid})` : "never finished starting";
        console.log(`${running ? "running" : "stopped"}  ${name}  ${where}  ${path.join(dir, "core.json")}`);
      }
      return values.name && !allRunning ? 1 : 0;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
