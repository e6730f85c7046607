import { randomBytes } from "node:crypto";
import { wechatErrmsg, type MockCall, type MockWeChatApi } from "../mock-wechat-api";

// WeChat's media APIs over the mock: temporary media (media/upload, media/get) that expire 3 days
// after upload, and permanent material (material/add_material, material/get_material). Files are
// kept as given; an expired or unknown media_id answers 40007, as WeChat does.

export const MEDIA_PATHS = {
  upload: "/cgi-bin/media/upload",
  get: "/cgi-bin/media/get",
  addMaterial: "/cgi-bin/material/add_material",
  getMaterial: "/cgi-bin/material/get_material",
} as const;

const TEMPORARY_MS = 3 * 24 * 3600_000;
const TYPES = ["image", "voice", "video", "thumb"] as const;
type MediaType = (typeof TYPES)[number];
export type MockMedia = {
  appId: string;
  type: MediaType;
  bytes: Buffer;
  contentType: string;
  filename: string;
  permanent: boolean;
  createdAt: number;
  expiresAt: number;
  /** Video material's description field, parsed. */
  description?: { title?: string; introduction?: string };
  url?: string;
};

const newId = (permanent: boolean) => `${permanent ? "P" : "T"}_${randomBytes(24).toString("base64url")}`;
const err = (errcode: number) => ({ errcode, errmsg: wechatErrmsg(errcode) });

export function installMediaApis(mock: MockWeChatApi) {
  const media = new Map<string, MockMedia>();

  async function fromForm(call: MockCall, permanent: boolean): Promise<MockMedia | { errcode: number; errmsg: string }> {
    const type = String(call.params.type ?? "");
    if (!(TYPES as readonly string[]).includes(type)) return { errcode: 40004, errmsg: `invalid media type rid: ${randomBytes(4).toString("hex")}` };
    const file = call.form?.get("media");
    if (!file || typeof file === "string") return err(41005);
    let description: MockMedia["description"];
    if (permanent && type === "video") {
      try {
        description = JSON.parse(String(call.form?.get("description") ?? ""));
      } catch {
        return { errcode: 40097, errmsg: `invalid args: video material needs a description rid: ${randomBytes(4).toString("hex")}` };
      }
    }
    const now = Date.now();
    return {
      appId: call.appId,
      type: type as MediaType,
      bytes: Buffer.from(await file.arrayBuffer()),
      contentType: file.type || "application/octet-stream",
      filename: file.name || `${type}.bin`,
      permanent,
      createdAt: now,
      expiresAt: permanent ? Infinity : now + TEMPORARY_MS,
      description,
    };
  }

  const find = (appId: string, id: unknown) => {
    const m = typeof id === "string" ? media.get(id) : undefined;
    return m && m.appId === appId && m.expiresAt > Date.now() ? m : null;
  };
  const file = (m: MockMedia) => ({ file: m.bytes, contentType: m.contentType, filename: m.filename });

  mock.route(MEDIA_PATHS.upload, async (call) => {
    const m = await fromForm(call, false);
    if ("errcode" in m) return m;
    const id = newId(false);
    media.set(id, m);
    return { type: m.type, media_id: id, created_at: Math.floor(m.createdAt / 1000) };
  });
  mock.route(MEDIA_PATHS.get, (call) => {
    const m = find(call.appId, call.params.media_id);
    if (!m || m.permanent) return err(40007);
    return m.type === "video" ? { video_url: mock.serveFile(`/mock-files/${String(call.params.media_id)}.mp4`, file(m)) } : file(m);
  });
  mock.route(MEDIA_PATHS.addMaterial, async (call) => {
    const m = await fromForm(call, true);
    if ("errcode" in m) return m;
    const id = newId(true);
    m.url = m.type === "image" ? `http://mmbiz.qpic.cn/mock/${id}/0` : undefined;
    media.set(id, m);
    return m.url ? { media_id: id, url: m.url } : { media_id: id };
  });
  mock.route(MEDIA_PATHS.getMaterial, (call) => {
    const m = find(call.appId, call.params.media_id);
    if (!m || !m.permanent) return err(40007);
    if (m.type === "video")
      return {
        title: m.description?.title ?? "",
        description: m.description?.introduction ?? "",
        down_url: `http://mock.invalid/${String(call.params.media_id)}.mp4`,
      };
    return file(m);
  });

  return {
    /** Temporary media as the platform holds them for an auto-reply rule set in the MP admin; returns its media_id. */
    seedTemporary(appId: string, m: { type: MediaType; bytes: Buffer; contentType: string; filename?: string; uploadedAt?: number }): string {
      const createdAt = m.uploadedAt ?? Date.now();
      const id = newId(false);
      media.set(id, {
        appId,
        type: m.type,
        bytes: m.bytes,
        contentType: m.contentType,
        filename: m.filename ?? `${m.type}.bin`,
        permanent: false,
        createdAt,
        expiresAt: createdAt + TEMPORARY_MS,
      });
      return id;
    },
    /** As if 3 days had passed for this temporary media: media/get now answers 40007. */
    expire(mediaId: string) {
      const m = media.get(mediaId);
      if (m) m.expiresAt = 0;
    },
    get(mediaId: string): MockMedia | undefined {
      return media.get(mediaId);
    },
    /** Permanent material of one app, oldest first. */
    materials(appId: string): Array<MockMedia & { mediaId: string }> {
      return [...media].filter(([, m]) => m.appId === appId && m.permanent).map(([mediaId, m]) => ({ ...m, mediaId }));
    },
  };
}
