import { z } from "zod";

// These schemas also run in the browser (the credentials form). Zod probes `new Function` to
// decide whether to compile its parsers; the console's CSP forbids eval, and the browser reports
// even that caught probe as a violation. Interpreted parsing is plenty for forms.
z.config({ jitless: true });

// One definition of each WeChat credential's shape, shared by bootstrap (env) and the console's forms.
export const ZAppId = z
  .string()
  .trim()
  .regex(/^wx[0-9a-f]{16}$/, "AppID is “wx” followed by 16 hexadecimal characters");
export const ZAppSecret = z
  .string()
  .trim()
  .regex(/^[0-9a-zA-Z]{32}$/, "AppSecret is 32 letters and digits");
export const ZToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{3,32}$/, "Token is 3–32 letters and digits");
export const ZEncodingAesKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{43}$/, "EncodingAESKey is exactly 43 letters and digits");
export const ZMessageMode = z.enum(["plain", "compat", "safe"]);
/** Shown beside the AppID (such as 客服号); blank means none. */
export const ZDisplayName = z
  .string()
  .trim()
  .max(64, "A display name is at most 64 characters")
  .regex(/^[^\p{Cc}]*$/u, "A display name has no control characters")
  .transform((v) => v || undefined);
export const ZAccountType = z.enum(["subscription", "service", "miniprogram", "wecom"]);

export type TMessageMode = z.infer<typeof ZMessageMode>;
export type TAccountType = z.infer<typeof ZAccountType>;

export const ZAccountInput = z
  .object({
    appId: ZAppId,
    appSecret: ZAppSecret.optional(),
    token: ZToken,
    encodingAesKey: ZEncodingAesKey.optional(),
    messageMode: ZMessageMode.default("plain"),
    accountType: ZAccountType.default("subscription"),
    certified: z.boolean().default(false),
    displayName: ZDisplayName.optional(),
  })
  .refine((a) => a.messageMode === "plain" || a.encodingAesKey, {
    path: ["encodingAesKey"],
    message: "Compatible and safe modes need the EncodingAESKey",
  });

export type TAccountInput = z.infer<typeof ZAccountInput>;
