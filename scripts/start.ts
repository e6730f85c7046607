// `npm start`: settle configuration, start the embedded PostgreSQL when DATABASE_URL is unset,
// migrate, seed, build if the sources changed, then serve the console and the callback with
// `next start`, preloaded with scripts/lib/peer-header.mjs (which passes on the socket's peer
// address). On SIGINT/SIGTERM the server is stopped first, then the embedded database.
import { spawn } from "node:child_process";
import { isAppError } from "../lib/app-error";
import { buildApp, nextBin } from "./lib/build";
import { prepareRuntime, type Runtime } from "./lib/runtime";

const dev = process.argv.includes("--dev");
process.env.NEXT_TELEMETRY_DISABLED = "1";

async function main() {
  let runtime: Runtime;
  try {
    runtime = await prepareRuntime({ dev });
  } catch (err) {
    console.error(isAppError(err, "CONFIG") ? `[mpdesk] ${err.message}` : `[mpdesk] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
  if (!dev) {
    try {
      buildApp();
    } catch (err) {
      console.error(`[mpdesk] ${(err as Error).message}`);
      await runtime.stop();
      process.exit(1);
    }
  }
  const port = String(runtime.env.PORT);
  // Through NODE_OPTIONS, so that a server process Next forks of its own (as `next dev` does) loads it too.
  const preload = `--import=${new URL("./lib/peer-header.mjs", import.meta.url).href}`;
  const nodeOptions = [runtime.childEnv.NODE_OPTIONS, preload].filter(Boolean).join(" ");
  const child = spawn(process.execPath, [nextBin, dev ? "dev" : "start", "-p", port], {
    stdio: "inherit",
    env: { ...runtime.childEnv, PORT: port, NODE_ENV: dev ? "development" : "production", NODE_OPTIONS: nodeOptions },
  });
  console.log(`[mpdesk] console: http://localhost:${port}  callback: http://localhost:${port}/api/wechat`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    child.kill(signal);
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  child.on("exit", async (code, signal) => {
    await runtime.stop();
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main();
