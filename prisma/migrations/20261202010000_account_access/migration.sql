-- Several accounts, each with its own people. An mpdesk administrator (user.role = 'admin')
-- manages users and accounts and may do anything on every account. Every other user has a role
-- per account in account_member: admin or viewer; no row means no access to that account.

-- A display name beside the AppID, such as 客服号.
ALTER TABLE "account" ADD COLUMN "display_name" VARCHAR(64);

CREATE TABLE "account_member" (
    "user_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "role" "user_role" NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_member_pkey" PRIMARY KEY ("user_id", "account_id")
);

CREATE INDEX "account_member_account_id_idx" ON "account_member"("account_id");

ALTER TABLE "account_member" ADD CONSTRAINT "account_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "account_member" ADD CONSTRAINT "account_member_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The accounts an API key may fetch tokens for. A key with no row here covers every account,
-- which is what every key created before this migration did.
CREATE TABLE "api_key_account" (
    "api_key_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,

    CONSTRAINT "api_key_account_pkey" PRIMARY KEY ("api_key_id", "account_id")
);

CREATE INDEX "api_key_account_account_id_idx" ON "api_key_account"("account_id");

ALTER TABLE "api_key_account" ADD CONSTRAINT "api_key_account_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_key_account" ADD CONSTRAINT "api_key_account_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Viewers saw every account before this migration; they keep seeing the accounts that exist now.
INSERT INTO "account_member" ("user_id", "account_id", "role")
SELECT u."id", a."id", 'viewer'::"user_role" FROM "user" u CROSS JOIN "account" a WHERE u."role" = 'viewer';
