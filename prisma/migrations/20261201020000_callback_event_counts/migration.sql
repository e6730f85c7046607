-- Callback events are counted, not stored one by one: one row per account, method, outcome,
-- reason, status and minute, with a counter. A flood of refused requests then adds a handful of
-- rows a minute instead of one each (issue 7, part 4). Existing rows are folded into the counts.

CREATE TABLE "callback_event_count" (
    "id" BIGSERIAL NOT NULL,
    "account_id" UUID,
    "method" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "status" INTEGER NOT NULL,
    "minute" TIMESTAMPTZ(6) NOT NULL DEFAULT date_trunc('minute', CURRENT_TIMESTAMP),
    "count" INTEGER NOT NULL DEFAULT 1,
    "first_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_source_ip" VARCHAR(64),

    CONSTRAINT "callback_event_count_pkey" PRIMARY KEY ("id")
);

INSERT INTO "callback_event_count" ("account_id", "method", "outcome", "reason", "status", "minute", "count", "first_at", "last_at", "last_source_ip")
SELECT "account_id", left("method", 8), left("outcome", 16), left(COALESCE("reason", ''), 64), "status", date_trunc('minute', "created_at"),
       count(*)::int, min("created_at"), max("created_at"), left((array_agg("source_ip" ORDER BY "id" DESC))[1], 64)
  FROM "callback_event"
 GROUP BY 1, 2, 3, 4, 5, 6;

DROP TABLE "callback_event";
ALTER TABLE "callback_event_count" RENAME TO "callback_event";
ALTER TABLE "callback_event" RENAME CONSTRAINT "callback_event_count_pkey" TO "callback_event_pkey";
ALTER SEQUENCE "callback_event_count_id_seq" RENAME TO "callback_event_id_seq";

-- The key the counters are upserted on. A refusal that names no account has account_id NULL;
-- COALESCE makes those share one row per minute (NULLS NOT DISTINCT needs PostgreSQL 15).
CREATE UNIQUE INDEX "callback_event_bucket_key" ON "callback_event"("minute", (COALESCE("account_id", '00000000-0000-0000-0000-000000000000'::uuid)), "method", "outcome", "reason", "status");

CREATE INDEX "callback_event_account_id_outcome_last_at_idx" ON "callback_event"("account_id", "outcome", "last_at");

CREATE INDEX "callback_event_last_at_idx" ON "callback_event"("last_at");

ALTER TABLE "callback_event" ADD CONSTRAINT "callback_event_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
