-- CreateEnum
CREATE TYPE "token_endpoint" AS ENUM ('stable', 'classic');

-- AlterTable
ALTER TABLE "account" ADD COLUMN     "token_endpoint" "token_endpoint" NOT NULL DEFAULT 'stable';

-- CreateTable
CREATE TABLE "access_token" (
    "account_id" UUID NOT NULL,
    "token_enc" TEXT,
    "endpoint" "token_endpoint",
    "expires_at" TIMESTAMPTZ(6),
    "refresh_at" TIMESTAMPTZ(6),
    "refreshed_at" TIMESTAMPTZ(6),
    "forced_at" TIMESTAMPTZ(6),
    "last_errcode" INTEGER,
    "last_errmsg" TEXT,
    "last_error_ip" TEXT,
    "last_error_at" TIMESTAMPTZ(6),
    "failure_count" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6),
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_token_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "token_refresh_event" (
    "id" BIGSERIAL NOT NULL,
    "account_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "endpoint" "token_endpoint" NOT NULL,
    "outcome" TEXT NOT NULL,
    "errcode" INTEGER,
    "errmsg" TEXT,
    "latency_ms" INTEGER NOT NULL,
    "instance" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "token_refresh_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "token_refresh_event_account_id_created_at_idx" ON "token_refresh_event"("account_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "token_refresh_event_created_at_idx" ON "token_refresh_event"("created_at");

-- CreateIndex
CREATE INDEX "api_key_name_idx" ON "api_key"("name");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- AddForeignKey
ALTER TABLE "access_token" ADD CONSTRAINT "access_token_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "token_refresh_event" ADD CONSTRAINT "token_refresh_event_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
