// `npm start`: settle configuration, start the embedded PostgreSQL when DATABASE_URL is unset,
// migrate, seed, build if the sources changed, then serve the console and the callback with
// scripts/lib/serve.mjs (Next behind our own HTTP server, which passes on the socket's peer
// address). On SIGINT/SIGTERM the server is stopped first, then the embedded database.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isAppError } from "../lib/app-error";
import { buildApp } from "./lib/build";
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
  const child = spawn(process.execPath, [fileURLToPath(new URL("./lib/serve.mjs", import.meta.url)), ...(dev ? ["--dev"] : [])], {
    stdio: "inherit",
    env: { ...runtime.childEnv, PORT: port, NODE_ENV: dev ? "development" : "production" },
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
