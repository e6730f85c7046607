import { answerMessage, answerVerification } from "@/lib/callback/callback-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The default (oldest) account, or the one `?account=<AppID>` names: URLs pasted before
// /api/wechat/<AppID> existed keep working.
export const GET = (request: Request) => answerVerification(request, null);
export const POST = (request: Request) => answerMessage(request, null);
