-- The inbox's read markers (lib/inbox): how far each user has read each follower's thread.
-- Per user, not per account: whether a follower is *waiting* is already shared by the team (it
-- ends when anyone answers), while having *seen* a message is personal. Shared markers would let
-- one reader's glance, a viewer's included, hide new messages from the colleague who answers.
CREATE TABLE "inbox_read" (
    "user_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "open_id" TEXT NOT NULL,
    -- The newest message id the thread showed this user; later inbound messages are unread.
    "read_through" BIGINT NOT NULL,
    "read_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_read_pkey" PRIMARY KEY ("user_id", "account_id", "open_id")
);

ALTER TABLE "inbox_read" ADD CONSTRAINT "inbox_read_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "inbox_read" ADD CONSTRAINT "inbox_read_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
