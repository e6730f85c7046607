-- CreateEnum
CREATE TYPE "message_mode" AS ENUM ('plain', 'compat', 'safe');

-- CreateEnum
CREATE TYPE "account_type" AS ENUM ('subscription', 'service', 'miniprogram', 'wecom');

-- CreateEnum
CREATE TYPE "direction" AS ENUM ('inbound', 'outbound');

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('admin', 'viewer');

-- CreateTable
CREATE TABLE "account" (
    "id" UUID NOT NULL,
    "app_id" TEXT NOT NULL,
    "app_secret_enc" TEXT,
    "encoding_aes_key_enc" TEXT,
    "previous_encoding_aes_key_enc" TEXT,
    "token" TEXT NOT NULL,
    "message_mode" "message_mode" NOT NULL DEFAULT 'plain',
    "account_type" "account_type" NOT NULL DEFAULT 'subscription',
    "certified" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message" (
    "id" BIGSERIAL NOT NULL,
    "account_id" UUID NOT NULL,
    "direction" "direction" NOT NULL,
    "msg_type" TEXT NOT NULL,
    "event" TEXT,
    "event_key" TEXT,
    "from_user" TEXT NOT NULL,
    "to_user" TEXT NOT NULL,
    "msg_id" TEXT,
    "create_time" BIGINT,
    "content" TEXT,
    "media_id" TEXT,
    "pic_url" TEXT,
    "format" TEXT,
    "recognition" TEXT,
    "thumb_media_id" TEXT,
    "location_x" DOUBLE PRECISION,
    "location_y" DOUBLE PRECISION,
    "scale" INTEGER,
    "label" TEXT,
    "title" TEXT,
    "description" TEXT,
    "url" TEXT,
    "raw_xml" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "encrypted" BOOLEAN NOT NULL DEFAULT false,
    "dedupe_key" TEXT,
    "reply_xml" TEXT,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "callback_event" (
    "id" BIGSERIAL NOT NULL,
    "account_id" UUID,
    "method" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "status" INTEGER NOT NULL,
    "source_ip" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "callback_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "user_role" NOT NULL DEFAULT 'viewer',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_app_id_key" ON "account"("app_id");

-- CreateIndex
CREATE INDEX "message_account_id_received_at_id_idx" ON "message"("account_id", "received_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "message_account_id_from_user_received_at_idx" ON "message"("account_id", "from_user", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "message_account_id_dedupe_key_key" ON "message"("account_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "callback_event_account_id_created_at_idx" ON "callback_event"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "callback_event_outcome_created_at_idx" ON "callback_event"("outcome", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- AddForeignKey
ALTER TABLE "message" ADD CONSTRAINT "message_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "callback_event" ADD CONSTRAINT "callback_event_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
