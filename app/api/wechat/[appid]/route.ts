import { answerMessage, answerVerification } from "@/lib/callback/callback-http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Each account's own server URL, /api/wechat/<AppID>, as pasted into the MP admin.
type Context = { params: Promise<{ appid: string }> };

export const GET = async (request: Request, { params }: Context) => answerVerification(request, (await params).appid);
export const POST = async (request: Request, { params }: Context) => answerMessage(request, (await params).appid);
