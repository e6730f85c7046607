import type { TAccountType } from "./account-fields";

// What an account can do with WeChat's APIs, by kind and certification — the table behind
// "why is this greyed out?". Source: the MP platform's 接口权限说明; Tencent revises it, so the
// console also points people at their own 设置与开发 → 接口权限 page, which is authoritative.

export const FEATURES = [
  "receiveMessages",
  "passiveReplies",
  "accessToken",
  "customMenu",
  "customerService",
  "massSend",
  "userInfo",
  "templateMessages",
  "oauth",
  "qrcodeWithParams",
  "payments",
] as const;
export type Feature = (typeof FEATURES)[number];

export type CapabilityReason =
  | "needsCertification"
  | "needsCertifiedService"
  | "miniProgramNoMenu"
  | "miniProgramSubscribeMessages"
  | "miniProgramLogin"
  | "miniProgramTransferOnly"
  | "miniProgramNoMassSend"
  | "wecomUnsupported"
  | "paymentsApplication";

export type Capability = { state: "yes" | "no" | "partial"; reason?: CapabilityReason };

const yes: Capability = { state: "yes" };
const no = (reason: CapabilityReason): Capability => ({ state: "no", reason });

export function capabilityOf(type: TAccountType, certified: boolean, feature: Feature): Capability {
  if (type === "wecom") return no("wecomUnsupported");
  if (type === "miniprogram") {
    switch (feature) {
      case "receiveMessages":
      case "accessToken":
      case "customerService":
      case "qrcodeWithParams":
      case "userInfo":
        return yes;
      case "passiveReplies":
        return { state: "partial", reason: "miniProgramTransferOnly" };
      case "customMenu":
        return no("miniProgramNoMenu");
      case "templateMessages":
        return { state: "partial", reason: "miniProgramSubscribeMessages" };
      case "oauth":
        return { state: "partial", reason: "miniProgramLogin" };
      case "massSend":
        return no("miniProgramNoMassSend");
      case "payments":
        return certified ? { state: "partial", reason: "paymentsApplication" } : no("needsCertification");
    }
  }
  switch (feature) {
    case "receiveMessages":
    case "passiveReplies":
    case "accessToken":
      return yes;
    case "customMenu":
      // An uncertified 服务号 has the menu API; an uncertified 订阅号 only the editor in the admin site.
      return type === "service" || certified ? yes : no("needsCertification");
    case "customerService":
    case "massSend":
    case "userInfo":
      return certified ? yes : no("needsCertification");
    case "templateMessages":
    case "oauth":
    case "qrcodeWithParams":
      return type === "service" && certified ? yes : no("needsCertifiedService");
    case "payments":
      return type === "service" && certified ? { state: "partial", reason: "paymentsApplication" } : no("needsCertifiedService");
  }
}

export function capabilityMatrix(type: TAccountType, certified: boolean): Array<{ feature: Feature } & Capability> {
  return FEATURES.map((feature) => ({ feature, ...capabilityOf(type, certified, feature) }));
}
