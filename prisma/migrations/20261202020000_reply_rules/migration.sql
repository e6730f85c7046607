-- Reply rules: what mpdesk answers in the callback, per account (lib/replies). A rule has
-- several keywords and several replies; reply_mode 'all' is stored now, but only the first reply
-- goes passively until deferred sends exist.

-- Time windows ("out of office 18:00-09:00") are read in the account's own time zone.
ALTER TABLE "account" ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'Asia/Shanghai';

CREATE TYPE "reply_trigger" AS ENUM ('welcome', 'keyword', 'click', 'scan', 'default');
CREATE TYPE "keyword_match" AS ENUM ('equal', 'contain', 'regex');
CREATE TYPE "reply_mode" AS ENUM ('one', 'random', 'all');
CREATE TYPE "reply_type" AS ENUM ('text', 'image', 'voice', 'video', 'music', 'news');

CREATE TABLE "reply_rule" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "trigger" "reply_trigger" NOT NULL,
    -- The menu button's key (click) or the QR code's scene (scan); null for the other triggers.
    "event_key" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    -- Lower first; ties by name.
    "priority" INTEGER NOT NULL DEFAULT 0,
    -- Minutes after midnight in account.time_zone; start > end crosses midnight. Both or neither.
    "window_start_min" SMALLINT,
    "window_end_min" SMALLINT,
    "reply_mode" "reply_mode" NOT NULL DEFAULT 'one',
    -- How often a default rule answers one follower, as the platform's "once per hour".
    "cooldown_s" INTEGER NOT NULL DEFAULT 3600,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reply_rule_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "reply_rule_window_check" CHECK (("window_start_min" IS NULL) = ("window_end_min" IS NULL)),
    CONSTRAINT "reply_rule_cooldown_check" CHECK ("cooldown_s" >= 0)
);

CREATE UNIQUE INDEX "reply_rule_account_id_name_key" ON "reply_rule"("account_id", "name");
CREATE INDEX "reply_rule_account_id_priority_idx" ON "reply_rule"("account_id", "priority");
ALTER TABLE "reply_rule" ADD CONSTRAINT "reply_rule_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "reply_keyword" (
    "rule_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "match" "keyword_match" NOT NULL,
    "pattern" TEXT NOT NULL,

    CONSTRAINT "reply_keyword_pkey" PRIMARY KEY ("rule_id", "position")
);

ALTER TABLE "reply_keyword" ADD CONSTRAINT "reply_keyword_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "reply_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The passive kinds lib/wechat/reply.ts builds; media by media_id (permanent material).
CREATE TABLE "reply_message" (
    "rule_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "type" "reply_type" NOT NULL,
    "content" TEXT,
    "media_id" TEXT,
    "title" TEXT,
    "description" TEXT,
    "url" TEXT,
    "pic_url" TEXT,
    "music_url" TEXT,
    "hq_music_url" TEXT,
    "thumb_media_id" TEXT,

    CONSTRAINT "reply_message_pkey" PRIMARY KEY ("rule_id", "position")
);

ALTER TABLE "reply_message" ADD CONSTRAINT "reply_message_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "reply_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- When a rule with a cooldown (the default rule) last answered a follower, shared by every
-- instance. dedupe_key is the message that fired it: a retry of that message is the same decision.
CREATE TABLE "reply_cooldown" (
    "account_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "follower" TEXT NOT NULL,
    "last_fired_at" TIMESTAMPTZ(6) NOT NULL,
    "dedupe_key" TEXT NOT NULL,

    CONSTRAINT "reply_cooldown_pkey" PRIMARY KEY ("account_id", "rule_id", "follower")
);

CREATE INDEX "reply_cooldown_rule_id_idx" ON "reply_cooldown"("rule_id");
ALTER TABLE "reply_cooldown" ADD CONSTRAINT "reply_cooldown_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "reply_cooldown" ADD CONSTRAINT "reply_cooldown_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "reply_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
