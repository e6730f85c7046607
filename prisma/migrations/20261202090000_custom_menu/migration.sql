-- The custom menu (lib/menu): one draft per account, every published version as it was sent to
-- menu/create, and the conditional menus WeChat holds. Bodies are json, not jsonb: a version is
-- kept byte for byte in the order it was sent, so a rollback republishes exactly that.

CREATE TYPE "menu_publisher" AS ENUM ('console', 'cli');

CREATE TABLE "menu_draft" (
    "account_id" UUID NOT NULL,
    -- {"button": [...]} as menu/create takes it; saved even when not valid yet.
    "body" JSON NOT NULL,
    "updated_by_user_id" UUID,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "menu_draft_pkey" PRIMARY KEY ("account_id")
);

CREATE TABLE "menu_version" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    -- 1, 2, 3 … per account, in publishing order.
    "number" INTEGER NOT NULL,
    -- Exactly what menu/create received.
    "body" JSON NOT NULL,
    "published_via" "menu_publisher" NOT NULL,
    -- The console user; null from the CLI (or once the user is removed).
    "published_by_user_id" UUID,
    "published_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- Set when this version republished an older one (a rollback).
    "restored_from" INTEGER,

    CONSTRAINT "menu_version_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "menu_version_account_id_number_key" ON "menu_version"("account_id", "number");

-- A conditional menu as WeChat holds it: its menuid, buttons and matchrule (tag_id, and
-- client_platform_type). WeChat has no edit: a change is a delete and an add, a new menuid.
CREATE TABLE "menu_conditional" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "menu_id" TEXT NOT NULL,
    "body" JSON NOT NULL,
    "matchrule" JSON NOT NULL,
    "created_by_user_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "menu_conditional_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "menu_conditional_account_id_menu_id_key" ON "menu_conditional"("account_id", "menu_id");

ALTER TABLE "menu_draft" ADD CONSTRAINT "menu_draft_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "menu_draft" ADD CONSTRAINT "menu_draft_updated_by_user_id_fkey" FOREIGN KEY ("updated_by_user_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "menu_version" ADD CONSTRAINT "menu_version_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "menu_version" ADD CONSTRAINT "menu_version_published_by_user_id_fkey" FOREIGN KEY ("published_by_user_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "menu_conditional" ADD CONSTRAINT "menu_conditional_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "menu_conditional" ADD CONSTRAINT "menu_conditional_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
