import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

// WeChat's server API as far as the token service meets it, over real HTTP: the two token
// endpoints with their rotation rules, one business API, WeChat's JSON error shapes, and knobs to
// make it fail, stall or rotate. Counts every call, per path and per AppID.
//
// Rules played, as WeChat documents them for access_token:
//  - classic GET /cgi-bin/token: every call issues a new token; the previous one keeps working
//    for `classicGraceMs` (about 5 minutes at WeChat).
//  - stable POST /cgi-bin/stable_token: the same token comes back (with the time it has left)
//    until `rotateWindowSec` before its expiry, then a new one; force_refresh:true issues a new
//    one at once and retires the previous one. Stable and classic tokens are independent.
//  - GET /cgi-bin/get_api_domain_ip?access_token=…: 40001 for an unknown or retired token, 42001
//    for an expired one.

export const TOKEN_PATHS = { stable: "/cgi-bin/stable_token", classic: "/cgi-bin/token" } as const;
export const BUSINESS_PATH = "/cgi-bin/get_api_domain_ip";

export type MockApp = {
  appId: string;
  secret: string;
  /** expires_in of a new token, in seconds (WeChat: 7200). */
  lifetimeSec?: number;
  /** A stable token is replaced when it has less than this left (WeChat: 300). */
  rotateWindowSec?: number;
  classicGraceMs?: number;
};

/** One scripted answer: wait `delayMs`, then answer HTTP `status`, or the errcode, or normally. */
export type Scripted = { delayMs?: number; status?: number; errcode?: number; errmsg?: string };

type Issued = { appId: string; kind: "stable" | "classic"; expiresAt: number; retiredAt: number };

const rid = () => `${randomBytes(4).toString("hex")}-${randomBytes(4).toString("hex")}-${randomBytes(6).toString("hex")}`;

/** errmsg as WeChat words it, with a request id, e.g. for 40164 the caller's address. */
export function wechatErrmsg(errcode: number, opts: { ip?: string } = {}): string {
  const ip = opts.ip ?? "203.0.113.7";
  const text: Record<number, string> = {
    [-1]: "system error",
    40001:
      "invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r",
    40003: "invalid openid",
    40007: "invalid media_id",
    40013: "invalid appid",
    40125: "invalid appsecret, view more at http://t.cn/RAEkdVq",
    40164: `invalid ip ${ip} ipv6 ::ffff:${ip}, not in whitelist`,
    40243: "AppSecret已被冻结，请登录MP解冻后再次调用。",
    41005: "media data missing",
    42001: "access_token expired",
    43004: "require subscribe",
    45002: "content size out of limit",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    48001: "api unauthorized",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    89503: `此次调用需要管理员确认，请耐心等候 ip ${ip}`,
  };
  return `${text[errcode] ?? "unknown error"} rid: ${rid()}`;
}

export type MockWeChatApi = Awaited<ReturnType<typeof startMockWeChatApi>>;

/** What a business API's handler is given: the caller's AppID (from its valid token) and its request. */
export type MockCall = {
  appId: string;
  method: string;
  /** Query parameters and, for a JSON POST, the body's fields. */
  params: Record<string, unknown>;
  /** A multipart POST's form (media/upload, material/add_material). */
  form: FormData | null;
  raw: Buffer;
};
/** A file instead of JSON (media/get). */
export type MockFile = { file: Buffer; contentType: string; filename?: string };
export type MockHandler = (call: MockCall) => object | MockFile | Promise<object | MockFile>;

export async function startMockWeChatApi() {
  const apps = new Map<string, Required<MockApp>>();
  const issued = new Map<string, Issued>();
  const stable = new Map<string, string>(); // appId → current stable token
  const classic = new Map<string, string>();
  const scripts = new Map<string, Scripted[]>(); // `${appId} ${path}` → answers to give, in order
  const failures = new Map<string, Scripted>(); // `${appId} ${path}` → answer to give every time
  const delays = new Map<string, number>(); // path → delay for every call
  const counts = new Map<string, number>(); // `${appId} ${path}` and `${path}`
  const requests: http.IncomingMessage[] = [];
  // Business APIs beyond BUSINESS_PATH, added with route(): path → handler, called with a valid token only.
  const routes = new Map<string, MockHandler>();
  // Plain files at a URL WeChat hands out (a video's video_url): no token.
  const files = new Map<string, MockFile>();
  // Every business call's JSON body (or form fields), per `${appId} ${path}`, for tests to inspect.
  const bodies = new Map<string, Array<Record<string, unknown>>>();

  const newToken = (appId: string, kind: Issued["kind"], lifetimeSec: number) => {
    // WeChat's tokens are about 150 characters today and documented to grow to 512.
    const token = `${kind === "stable" ? "S" : "C"}_${randomBytes(112).toString("base64url")}`;
    const expiresAt = Date.now() + lifetimeSec * 1000;
    issued.set(token, { appId, kind, expiresAt, retiredAt: Infinity });
    return token;
  };
  const retire = (token: string | undefined, afterMs: number) => {
    const t = token ? issued.get(token) : undefined;
    if (t) t.retiredAt = Math.min(t.retiredAt, Date.now() + afterMs);
  };
  const grant = (token: string) => ({ access_token: token, expires_in: Math.max(1, Math.round((issued.get(token)!.expiresAt - Date.now()) / 1000)) });
  const count = (appId: string, path: string) => {
    counts.set(path, (counts.get(path) ?? 0) + 1);
    counts.set(`${appId} ${path}`, (counts.get(`${appId} ${path}`) ?? 0) + 1);
  };

  function credentials(appId: unknown, secret: unknown): Required<MockApp> | { errcode: number } {
    const app = typeof appId === "string" ? apps.get(appId) : undefined;
    if (!app) return { errcode: 40013 };
    if (secret !== app.secret) return { errcode: 40125 };
    return app;
  }

  function tokenAnswer(path: string, params: Record<string, unknown>): object {
    const app = credentials(params.appid, params.secret);
    if ("errcode" in app) return { errcode: app.errcode, errmsg: wechatErrmsg(app.errcode) };
    if (params.grant_type !== "client_credential") return { errcode: 40002, errmsg: `invalid grant_type rid: ${rid()}` };
    if (path === TOKEN_PATHS.classic) {
      const previous = classic.get(app.appId);
      const token = newToken(app.appId, "classic", app.lifetimeSec);
      classic.set(app.appId, token);
      retire(previous, app.classicGraceMs);
      return grant(token);
    }
    const current = stable.get(app.appId);
    const left = current ? issued.get(current)!.expiresAt - Date.now() : 0;
    if (current && params.force_refresh !== true && left > app.rotateWindowSec * 1000) return grant(current);
    const token = newToken(app.appId, "stable", app.lifetimeSec);
    stable.set(app.appId, token);
    // Forcing retires the previous token at once; the platform's own rotation lets it run out.
    if (params.force_refresh === true) retire(current, 0);
    return grant(token);
  }

  function businessAnswer(token: string): { appId: string | null; body: object } {
    const t = issued.get(token);
    if (!t || t.retiredAt <= Date.now()) return { appId: t?.appId ?? null, body: { errcode: 40001, errmsg: wechatErrmsg(40001) } };
    if (t.expiresAt <= Date.now()) return { appId: t.appId, body: { errcode: 42001, errmsg: wechatErrmsg(42001) } };
    return { appId: t.appId, body: { ip_list: ["101.226.62.77", "101.226.62.78", "101.226.62.79"] } };
  }

  const server = http.createServer(async (req, res) => {
    requests.push(req);
    const url = new URL(req.url ?? "/", "http://mock");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const raw = Buffer.concat(chunks);
    let form: FormData | null = null;
    if (req.method === "POST" && /multipart\/form-data/i.test(req.headers["content-type"] ?? "")) {
      try {
        form = await new Response(raw, { headers: { "content-type": req.headers["content-type"]! } }).formData();
      } catch {
        return send(res, 200, { errcode: 41005, errmsg: `media data missing rid: ${rid()}` });
      }
    } else if (req.method === "POST" && chunks.length) {
      try {
        params = { ...params, ...JSON.parse(Buffer.concat(chunks).toString("utf8")) };
      } catch {
        return send(res, 200, { errcode: 47001, errmsg: `data format error rid: ${rid()}` });
      }
    }
    const path = url.pathname;
    const served = files.get(path);
    if (served) {
      res.writeHead(200, { "content-type": served.contentType, "content-length": served.file.length });
      return res.end(served.file);
    }
    const isToken = path === TOKEN_PATHS.stable || path === TOKEN_PATHS.classic;
    if (!isToken && path !== BUSINESS_PATH && !routes.has(path)) return send(res, 404, { errcode: 404, errmsg: "not found" });
    if (isToken && (path === TOKEN_PATHS.stable) !== (req.method === "POST"))
      return send(res, 405, { errcode: 43002, errmsg: `require POST method rid: ${rid()}` });

    const business = isToken ? null : businessAnswer(String(params.access_token ?? ""));
    const appId = isToken ? String(params.appid ?? "") : (business!.appId ?? "");
    count(appId, path);
    const key = `${appId} ${path}`;
    const scripted = scripts.get(key)?.shift() ?? failures.get(key);
    const delay = (delays.get(path) ?? 0) + (scripted?.delayMs ?? 0);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed) return;
    if (scripted?.status) return send(res, scripted.status, { error: "upstream" });
    if (!isToken && appId) {
      const logged = form ? Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v : `<file ${v.name}>`])) : params;
      bodies.set(key, [...(bodies.get(key) ?? []), logged]);
    }
    if (scripted?.errcode !== undefined) return send(res, 200, { errcode: scripted.errcode, errmsg: scripted.errmsg ?? wechatErrmsg(scripted.errcode) });
    const handler = routes.get(path);
    if (isToken || !handler || "errcode" in business!.body) return send(res, 200, isToken ? tokenAnswer(path, params) : business!.body);
    const answer = await handler({ appId, method: req.method ?? "GET", params, form, raw });
    if (res.destroyed) return;
    if ("file" in answer && Buffer.isBuffer(answer.file)) {
      const f = answer as MockFile;
      res.writeHead(200, {
        "content-type": f.contentType,
        ...(f.filename ? { "content-disposition": `attachment; filename="${f.filename}"` } : {}),
        "content-length": f.file.length,
      });
      return res.end(f.file);
    }
    send(res, 200, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    addApp(app: MockApp) {
      const given = Object.fromEntries(Object.entries(app).filter(([, v]) => v !== undefined));
      apps.set(app.appId, { lifetimeSec: 7200, rotateWindowSec: 300, classicGraceMs: 300_000, ...given } as Required<MockApp>);
    },
    /** Answers for the next calls of `path` by this app, in order; then normal behaviour resumes. */
    script(appId: string, path: string, ...answers: Scripted[]) {
      scripts.set(`${appId} ${path}`, [...(scripts.get(`${appId} ${path}`) ?? []), ...answers]);
    },
    /** The same answer for every call of `path` by this app until cleared with null. */
    failAlways(appId: string, path: string, answer: Scripted | null) {
      if (answer) failures.set(`${appId} ${path}`, answer);
      else failures.delete(`${appId} ${path}`);
    },
    /**
     * Adds a business API at `path`. The caller's token is checked first (40001/42001 as for
     * every API); script() and failAlways() answers take precedence over the handler.
     */
    route(path: string, handler: MockHandler) {
      routes.set(path, handler);
    },
    /** Serves a file at `path` without a token (a CDN URL such as a video's video_url); returns its URL. */
    serveFile(path: string, file: MockFile): string {
      files.set(path, file);
      return `${url}${path}`;
    },
    /** The JSON bodies (or form fields) of every call of `path` by this app, oldest first. */
    bodies(appId: string, path: string): Array<Record<string, unknown>> {
      return bodies.get(`${appId} ${path}`) ?? [];
    },
    /** A delay on every call of `path`, to widen races. */
    setDelay(path: string, ms: number) {
      delays.set(path, ms);
    },
    /** As if another program force-refreshed the stable token: the current one stops working now. */
    rotateStable(appId: string) {
      const app = apps.get(appId)!;
      const previous = stable.get(appId);
      stable.set(appId, newToken(appId, "stable", app.lifetimeSec));
      retire(previous, 0);
    },
    /** Calls of `path`, by one app or by all. */
    calls(path: string, appId?: string): number {
      return counts.get(appId ? `${appId} ${path}` : path) ?? 0;
    },
    tokenCalls(appId: string): number {
      return (counts.get(`${appId} ${TOKEN_PATHS.stable}`) ?? 0) + (counts.get(`${appId} ${TOKEN_PATHS.classic}`) ?? 0);
    },
    /** Every token handed out so far, live or not. */
    issuedTokens(): string[] {
      return [...issued.keys()];
    },
    isValid(token: string): boolean {
      return !("errcode" in businessAnswer(token).body);
    },
    close(): Promise<void> {
      for (const r of requests) r.socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: http.ServerResponse, status: number, body: object) {
  // WeChat answers errors with HTTP 200 and a JSON body; only transport trouble is non-200.
  res.writeHead(status, { "content-type": "application/json; encoding=utf-8" });
  res.end(JSON.stringify(body));
}
