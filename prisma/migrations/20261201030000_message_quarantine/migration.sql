-- Messages the database refused for a lasting reason (a data exception, a constraint, an index
-- row too large): kept whole, with the reason, for an operator, instead of being retried forever.
-- The row travels as text, not jsonb: whatever made the message unstorable must not stop this insert.
CREATE TABLE "message_quarantine" (
    "id" BIGSERIAL NOT NULL,
    "account_id" TEXT,
    "source" TEXT NOT NULL,
    "sqlstate" VARCHAR(5),
    "reason" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_quarantine_pkey" PRIMARY KEY ("id")
);

-- One entry per spool file, however many instances replay the folder.
CREATE UNIQUE INDEX "message_quarantine_source_key" ON "message_quarantine"("source");
