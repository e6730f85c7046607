// A flood of bad sign-ins, run as a process of its own (`tsx scripts/lib/sign-in-flood.ts <url>
// <clients>`): `clients` loops, each signing in again as soon as it is answered, with unknown
// e-mails and wrong passwords, as the login form does (next-auth's CSRF token, then the
// credentials POST). It stops when its stdin closes and prints the outcomes as JSON, counted from
// the redirect (`busy`, `credentials`, `throttled`; anything else is an error).
//
// Its own process, because in the load generator's it competed with autocannon for one event
// loop, and the callback's latency measured there included the flood's work in the measurer.
import { spawn } from "node:child_process";

async function flood(baseUrl: string, clients: number, running: () => boolean): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const loop = async (n: number) => {
    const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    for (let i = 0; running(); i++) {
      let outcome = "error";
      try {
        const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
          body: new URLSearchParams({ email: `nobody-${n}-${i}@example.com`, password: "wrong password", csrfToken, callbackUrl: "/" }),
        });
        await res.arrayBuffer();
        const code = new URL(res.headers.get("location") ?? "/", baseUrl).searchParams.get("code");
        if (res.status === 302 && code) outcome = code;
      } catch {
        // counted as an error
      }
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, n) => loop(n)));
  return counts;
}

/** Starts the flood in a child process; stop() ends it and resolves with its outcome counts. */
export function startSignInFlood(baseUrl: string, clients: number): { stop(): Promise<Record<string, number>> } {
  const child = spawn(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, baseUrl, String(clients)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    async stop() {
      child.stdin!.end();
      await exited;
      return JSON.parse(out || "{}") as Record<string, number>;
    },
  };
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  let running = true;
  process.stdin.resume();
  process.stdin.on("end", () => (running = false));
  const counts = await flood(process.argv[2]!, Number(process.argv[3]), () => running);
  process.stdout.write(JSON.stringify(counts));
  process.exit(0);
}
