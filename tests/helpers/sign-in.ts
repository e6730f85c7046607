import http from "node:http";

// Signs in over real HTTP the way next-auth's credentials flow expects (CSRF token, then a form
// POST to /api/auth/callback/credentials), optionally from a chosen loopback source address and
// with a chosen X-Forwarded-For, so tests can play a client, an attacker and a reverse proxy.

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? "GET", headers: opts.headers, localAddress: opts.localAddress, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const cookiesOf = (res: RawResponse) => (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!);

/** `cookie` is the session cookie alone; `jar` is every cookie the flow set (CSRF included), as a browser keeps them. */
export type SignInOutcome = { outcome: "ok" | "invalid" | "throttled" | "busy" | "error"; cookie: string; jar: string; location: string };

export async function signInOverHttp(
  appUrl: string,
  input: { email: string; password: string; from?: string; forwardedFor?: string; headers?: Record<string, string> },
): Promise<SignInOutcome> {
  const extra: Record<string, string> = { ...input.headers, ...(input.forwardedFor !== undefined ? { "x-forwarded-for": input.forwardedFor } : {}) };
  const csrf = await rawRequest(`${appUrl}/api/auth/csrf`, { localAddress: input.from, headers: extra });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const res = await rawRequest(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    localAddress: input.from,
    headers: { ...extra, "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; ") },
    body: new URLSearchParams({ email: input.email, password: input.password, csrfToken, callbackUrl: "/" }).toString(),
  });
  const location = String(res.headers.location ?? "");
  const cookie = cookiesOf(res)
    .filter((c) => c.includes("session-token"))
    .join("; ");
  if (res.status === 302 && cookie && !location.includes("error=")) return { outcome: "ok", cookie, jar: [...cookiesOf(csrf), cookie].join("; "), location };
  const code = new URL(location || "/", appUrl).searchParams.get("code");
  if (code === "credentials") return { outcome: "invalid", cookie: "", jar: "", location };
  if (code === "throttled" || code === "busy") return { outcome: code, cookie: "", jar: "", location };
  return { outcome: "error", cookie: "", jar: "", location: location || `${res.status} ${res.body.slice(0, 200)}` };
}

/** Signs in or throws, and returns the cookie header a browser would then send: for tests that read pages over plain HTTP. */
export async function signedInCookies(appUrl: string, email: string, password: string): Promise<string> {
  const signedIn = await signInOverHttp(appUrl, { email, password });
  if (signedIn.outcome !== "ok") throw new Error(`sign-in as ${email} failed: ${signedIn.outcome} ${signedIn.location}`);
  return signedIn.jar;
}
