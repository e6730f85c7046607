import { requireAccountForRoute, requireUserForRoute } from "@/lib/auth/require-user";
import { getPool, getPrisma } from "@/lib/db";
import { getMessage } from "@/lib/messages/get-message";
import { messageAccountAppId } from "@/lib/messages/message-owner";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const notFound = () => Response.json({ error: "not_found" }, { status: 404, headers: { "cache-control": "no-store" } });

// GET /api/messages/<id>/raw: the stored XML exactly as received, as a file, for documents too
// large to show indented. Anyone who may view the message's own account; for anyone else the
// message does not exist (the same 404 as a missing one).
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  // Signed out is 401 before anything is looked up, as for every route that needs a session.
  const user = await requireUserForRoute();
  if (user instanceof Response) return user;
  const { id } = await params;
  const appId = await messageAccountAppId(getPrisma(), id);
  if (!appId) return notFound();
  const access = await requireAccountForRoute(appId, { role: "viewer" });
  if (access instanceof Response) return access;
  const message = await getMessage(getPool(), access.account.id, id);
  if (!message) return notFound();
  return new Response(message.rawXml, {
    headers: {
      "content-type": "application/xml; charset=utf-8",
      "content-disposition": `attachment; filename="mpdesk-message-${message.id}.xml"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
