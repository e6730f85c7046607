import { wechatErrmsg, type MockCall, type MockWeChatApi } from "../mock-wechat-api";

// WeChat's message/custom/send over the mock, enforcing the window and the quota as the platform
// does today: after a follower's message up to 5 sends within 48 h, after a menu click, a
// subscribe or a scan up to 3 within 1 minute; the latest interaction resets both. The test
// declares the follower's interactions (WeChat knows them from its own side), and apps marked
// without the API answer 48001.

export const CUSTOM_SEND_PATH = "/cgi-bin/message/custom/send";

const WINDOW = { message: { limit: 5, ms: 48 * 3600_000 }, event: { limit: 3, ms: 60_000 } } as const;
const TEXT_LIMIT_BYTES = 2048;

export type MockSend = { appId: string; touser: string; msgtype: string; body: Record<string, unknown>; at: number };

export function installCustomSend(mock: MockWeChatApi) {
  // `${appId} ${openId}` → the follower's latest interaction, and what was sent since.
  const followers = new Map<string, { kind: "message" | "event"; at: number; used: number }>();
  const noApi = new Set<string>();
  const sends: MockSend[] = [];
  let strictOpenIds = false;

  const err = (errcode: number) => ({ errcode, errmsg: wechatErrmsg(errcode) });

  mock.route(CUSTOM_SEND_PATH, (call: MockCall) => {
    if (noApi.has(call.appId)) return err(48001);
    const touser = String(call.params.touser ?? "");
    const msgtype = String(call.params.msgtype ?? "");
    const f = followers.get(`${call.appId} ${touser}`);
    if (!f && strictOpenIds) return err(40003);
    if (!f || Date.now() >= f.at + WINDOW[f.kind].ms) return err(45015);
    if (f.used >= WINDOW[f.kind].limit) return err(45047);
    const part = call.params[msgtype] as Record<string, unknown> | undefined;
    if (!part || typeof part !== "object") return { errcode: 44002, errmsg: "empty post data" };
    if (msgtype === "text" && Buffer.byteLength(String(part.content ?? ""), "utf8") > TEXT_LIMIT_BYTES) return err(45002);
    f.used++;
    const { access_token: _token, ...body } = call.params;
    sends.push({ appId: call.appId, touser, msgtype, body, at: Date.now() });
    return { errcode: 0, errmsg: "ok" };
  });

  return {
    /** The follower sent a message (`message`) or clicked, subscribed or scanned (`event`) at `at` (ms, default now). */
    interact(appId: string, openId: string, kind: "message" | "event", at = Date.now()) {
      followers.set(`${appId} ${openId}`, { kind, at, used: 0 });
    },
    /** The account has no customer-service API (unverified, personal): every send answers 48001. */
    withoutApi(appId: string) {
      noApi.add(appId);
    },
    /** Followers never declared answer 40003 instead of 45015. */
    strictOpenIds(on = true) {
      strictOpenIds = on;
    },
    /** Messages WeChat accepted, oldest first. */
    sends(appId?: string, touser?: string): MockSend[] {
      return sends.filter((s) => (!appId || s.appId === appId) && (!touser || s.touser === touser));
    },
  };
}
