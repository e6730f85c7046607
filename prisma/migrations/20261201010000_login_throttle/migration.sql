-- Sign-in throttle, counted atomically and bounded in size. One row per (e-mail, client IP) pair
-- and one per e-mail; the key is a SHA-256 of the pair or the e-mail, so neither a long
-- X-Forwarded-For nor a long e-mail can exceed the btree row limit. Replaces login_attempt,
-- whose check-then-insert let parallel attempts through and whose free-form text columns did not fit.
CREATE TABLE "login_throttle" (
    "key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "succeeded_at" TIMESTAMPTZ(6),

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "login_throttle_window_start_idx" ON "login_throttle"("window_start");

DROP TABLE "login_attempt";
