-- Speaking back (lib/outbound, lib/media): what mpdesk sends is kept as outbound rows of
-- "message", whoever sent it, so a follower's thread is the whole conversation.

CREATE TYPE "send_via" AS ENUM ('passive', 'custom');
CREATE TYPE "send_source" AS ENUM ('rule', 'console', 'api');
CREATE TYPE "send_status" AS ENUM ('queued', 'sent', 'failed');

-- Outbound rows only (null on inbound ones). dedupe_key makes each send happen once:
-- 'reply:<inbound id>' for a passive reply, 'rule:<inbound id>:<position>' for reply-all's
-- others, 'api:<key id>:<Idempotency-Key>' for POST /api/messages.
ALTER TABLE "message"
    ADD COLUMN "send_via" "send_via",
    ADD COLUMN "send_source" "send_source",
    ADD COLUMN "send_status" "send_status",
    -- The rule that answered (passive reply, reply-all); kept as null once the rule is deleted.
    ADD COLUMN "rule_id" UUID,
    ADD COLUMN "sent_by_user_id" UUID,
    ADD COLUMN "sent_by_api_key_id" UUID,
    -- The inbound message this row answers.
    ADD COLUMN "in_reply_to" BIGINT,
    -- The custom/send body as given to WeChat, so a deferred send can be retried as it was.
    ADD COLUMN "send_body" JSONB,
    ADD COLUMN "send_errcode" INTEGER,
    ADD COLUMN "send_errmsg" TEXT,
    ADD COLUMN "send_attempts" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "sent_at" TIMESTAMPTZ(6);

ALTER TABLE "message" ADD CONSTRAINT "message_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "reply_rule"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "message" ADD CONSTRAINT "message_sent_by_user_id_fkey" FOREIGN KEY ("sent_by_user_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "message" ADD CONSTRAINT "message_sent_by_api_key_id_fkey" FOREIGN KEY ("sent_by_api_key_id") REFERENCES "api_key"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A key's scopes: token:read (GET /api/token, what every key could do before) and messages:send.
ALTER TABLE "api_key" ADD COLUMN "scopes" TEXT[] NOT NULL DEFAULT ARRAY['token:read']::TEXT[];

-- Where a rule came from, so an import run twice updates what it made instead of adding copies,
-- and why an imported rule is disabled (reply-all on an account without the customer-service API).
ALTER TABLE "reply_rule"
    ADD COLUMN "origin" TEXT NOT NULL DEFAULT 'console',
    ADD COLUMN "origin_key" TEXT,
    ADD COLUMN "disabled_reason" TEXT;
CREATE UNIQUE INDEX "reply_rule_account_id_origin_key_key" ON "reply_rule"("account_id", "origin_key");

CREATE TYPE "media_kind" AS ENUM ('image', 'voice', 'video', 'thumb');

-- Media mpdesk put on WeChat (permanent material for rules, temporary media for the inbox), with
-- a copy of the bytes so the console can show them after WeChat's copy expires or moves.
CREATE TABLE "media_asset" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "kind" "media_kind" NOT NULL,
    "permanent" BOOLEAN NOT NULL,
    "media_id" TEXT NOT NULL,
    -- add_material's url (images), shown in news replies and the console.
    "url" TEXT,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    -- Video material's description as add_material takes it.
    "title" TEXT,
    "introduction" TEXT,
    -- Where it came from, e.g. the temporary media_id an import re-hosted: importing again finds it.
    "origin_key" TEXT,
    "created_by_user_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- Temporary media: WeChat forgets them 3 days after upload.
    "expires_at" TIMESTAMPTZ(6),

    CONSTRAINT "media_asset_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "media_asset_account_id_media_id_key" ON "media_asset"("account_id", "media_id");
CREATE UNIQUE INDEX "media_asset_account_id_origin_key_key" ON "media_asset"("account_id", "origin_key");
CREATE INDEX "media_asset_account_id_created_at_idx" ON "media_asset"("account_id", "created_at" DESC);
ALTER TABLE "media_asset" ADD CONSTRAINT "media_asset_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "media_asset" ADD CONSTRAINT "media_asset_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
