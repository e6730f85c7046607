import { randomBytes } from "node:crypto";
import { encryptMessage, parseEncodingAesKey } from "../../lib/wechat/crypto";
import { computeSignature } from "../../lib/wechat/signature";

// Plays WeChat's side of the callback: signs, encrypts and POSTs messages as the platform does
// in plaintext (明文), compatible (兼容) and safe (安全) modes.

export type SimAccount = {
  appId: string;
  token: string;
  encodingAesKey?: string;
  mode: "plain" | "compat" | "safe";
  /** Appended as ?account=<AppID> so one app can serve several accounts in a test. */
  selectByAppId?: boolean;
};

const cdata = (s: string) => `<![CDATA[${s.split("]]>").join("]]]]><![CDATA[>")}]]>`;

/** WeChat's XML: strings in CDATA, numbers bare; nested objects as nested elements. */
export function messageXml(fields: Record<string, unknown>): string {
  const render = (obj: Record<string, unknown>): string =>
    Object.entries(obj)
      .map(([k, v]) =>
        typeof v === "number" || typeof v === "bigint"
          ? `<${k}>${v}</${k}>`
          : typeof v === "object" && v !== null
            ? Array.isArray(v)
              ? v.map((item) => `<${k}>${render(item as Record<string, unknown>)}</${k}>`).join("")
              : `<${k}>${render(v as Record<string, unknown>)}</${k}>`
            : `<${k}>${cdata(String(v))}</${k}>`,
      )
      .join("");
  return `<xml>${render(fields)}</xml>`;
}

export type SignedRequest = { path: string; body: string; timestamp: string; nonce: string };

export function signMessage(account: SimAccount, xml: string, opts: { timestamp?: string; nonce?: string; openid?: string } = {}): SignedRequest {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? String(randomBytes(4).readUInt32BE());
  const q = new URLSearchParams({ signature: computeSignature(account.token, timestamp, nonce), timestamp, nonce });
  if (opts.openid) q.set("openid", opts.openid);
  if (account.selectByAppId) q.set("account", account.appId);
  let body = xml;
  if (account.mode !== "plain") {
    const encrypt = encryptMessage(xml, parseEncodingAesKey(account.encodingAesKey!), account.appId);
    q.set("encrypt_type", "aes");
    q.set("msg_signature", computeSignature(account.token, timestamp, nonce, encrypt));
    const to = /<ToUserName><!\[CDATA\[(.*?)\]\]><\/ToUserName>/.exec(xml)?.[1] ?? "gh_test";
    // Compatible mode carries the plaintext fields beside <Encrypt>; safe mode only ToUserName.
    body =
      account.mode === "compat"
        ? xml.replace("</xml>", `<Encrypt>${cdata(encrypt)}</Encrypt></xml>`)
        : `<xml><ToUserName>${cdata(to)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
  }
  return { path: `/api/wechat?${q}`, body, timestamp, nonce };
}

export function verificationPath(account: SimAccount, echostr: string, tokenOverride?: string): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomBytes(4).readUInt32BE());
  const q = new URLSearchParams({ signature: computeSignature(tokenOverride ?? account.token, timestamp, nonce), timestamp, nonce, echostr });
  if (account.selectByAppId) q.set("account", account.appId);
  return `/api/wechat?${q}`;
}

export async function postSigned(baseUrl: string, req: SignedRequest): Promise<{ status: number; text: string }> {
  const res = await fetch(baseUrl + req.path, { method: "POST", body: req.body, headers: { "content-type": "text/xml" } });
  return { status: res.status, text: await res.text() };
}

let counter = 0n;
/** A MsgId above 2^53, unique per call, as real WeChat ids are. */
export function bigMsgId(): string {
  counter += 1n;
  return (6054768590064713728n + BigInt(Date.now()) * 1000n + counter).toString();
}
