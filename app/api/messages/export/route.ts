import { requireAccountForRoute } from "@/lib/auth/require-user";
import { getPool } from "@/lib/db";
import { getTimeZone } from "@/lib/i18n/server";
import { errorFields, log } from "@/lib/log";
import { csvHeaderLine, exportMessages, toCsvLines, toNdjsonLines } from "@/lib/messages/export-messages";
import { parseMessageFilters } from "@/lib/messages/message-filters";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/messages/export?account=<AppID>&format=csv|ndjson&<the log's filters>: admins and
// viewers of that account alike (without ?account=, the first account the user may see). An
// account the user may not see answers 404, like one that does not exist.
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const access = await requireAccountForRoute(params.get("account"), { role: "viewer" });
  if (access instanceof Response) return access;
  const { user, account } = access;
  const format = params.get("format") === "ndjson" ? "ndjson" : "csv";
  const filters = parseMessageFilters(params);
  const batches = exportMessages(getPool(), { accountId: account.id, filters, tz: await getTimeZone() });
  const encoder = new TextEncoder();
  let rows = 0;
  let headerSent = format === "ndjson";
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvHeaderLine()));
          return;
        }
        const next = await batches.next();
        if (next.done) {
          log.info("messages.exported", { account: account.id, by: user.id, format, rows });
          controller.close();
          return;
        }
        rows += next.value.length;
        controller.enqueue(encoder.encode(format === "csv" ? toCsvLines(next.value) : toNdjsonLines(next.value)));
      } catch (err) {
        log.error("messages.export_failed", errorFields(err));
        controller.error(err);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="mpdesk-messages-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
