import { getCallbackStatus } from "../callback/callback-status";
import type { Prisma, Queryable } from "../db";
import { getTokenStatus } from "../tokens";

// The order of an account's setup steps after the two that create it. API access comes first
// because both takeover steps read the platform's menu and auto-replies through WeChat's API,
// which needs a working access_token, hence the IP whitelist. The server URL is last: enabling
// 服务器配置 in the MP admin is the switch after which WeChat no longer runs the platform's own
// menu and auto-replies, so they are copied into mpdesk before it.
export const SETUP_STEP_PATHS = ["/settings/api", "/settings/menu", "/settings/replies", "/settings/server"] as const;

export type SetupStepPath = (typeof SETUP_STEP_PATHS)[number];

export type SetupProgress = Record<SetupStepPath, boolean>;

/** Which steps are done: a valid token, a menu kept, auto-replies kept, a verified server URL. */
export async function loadSetupProgress(prisma: Prisma, db: Queryable, accountId: string): Promise<SetupProgress> {
  const [token, menuKept, repliesKept, callback] = await Promise.all([
    getTokenStatus(accountId),
    prisma.menuDraft.count({ where: { accountId } }),
    prisma.replyRule.count({ where: { accountId, origin: "wechat_import" } }),
    getCallbackStatus(db, accountId),
  ]);
  return {
    "/settings/api": token?.state === "valid",
    "/settings/menu": menuKept > 0,
    "/settings/replies": repliesKept > 0,
    "/settings/server": !!callback.lastVerifiedAt,
  };
}

/** Where "continue setup" leads: the first step not done, in the order above (the last one once all are). */
export function firstStepNotDone(progress: SetupProgress): SetupStepPath {
  return SETUP_STEP_PATHS.find((p) => !progress[p]) ?? "/settings/server";
}
