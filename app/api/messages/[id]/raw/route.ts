import { getConsoleAccount } from "@/lib/accounts/console-account";
import { requireUserForRoute } from "@/lib/auth/require-user";
import { getPool } from "@/lib/db";
import { getMessage } from "@/lib/messages/get-message";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/messages/<id>/raw: the stored XML exactly as received, as a file, for documents too
// large to show indented. Admins and viewers alike, like the export.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await requireUserForRoute();
  if (user instanceof Response) return user;
  const { id } = await params;
  const { account } = await getConsoleAccount();
  const message = account ? await getMessage(getPool(), account.id, id) : null;
  if (!message) return Response.json({ error: "not_found" }, { status: 404 });
  return new Response(message.rawXml, {
    headers: {
      "content-type": "application/xml; charset=utf-8",
      "content-disposition": `attachment; filename="mpdesk-message-${message.id}.xml"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
