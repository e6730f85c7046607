import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { accountApiPath, accountMediaPath, accountPath, appIdOfPath, legacyAccountSubPath, samePageOf } from "../../lib/accounts/account-path";

describe("account URLs", () => {
  const A = "wx0123456789abcdef";
  const B = "wxfedcba9876543210";

  test("an account's pages and route handlers name the account", () => {
    assert.equal(accountPath(A), `/a/${A}`);
    assert.equal(accountPath(A, "/messages", "?q=%E9%80%80"), `/a/${A}/messages?q=%E9%80%80`);
    assert.equal(accountApiPath("/api/live", A, "?scope=messages&q=x"), `/api/live?account=${A}&scope=messages&q=x`);
    assert.equal(accountApiPath("/api/messages/export", A), `/api/messages/export?account=${A}`);
  });

  test("the URLs from before the AppID was in the path are recognised, and only those", () => {
    assert.equal(legacyAccountSubPath("/messages"), "/messages");
    assert.equal(legacyAccountSubPath("/messages/12/"), "/messages/12");
    assert.equal(legacyAccountSubPath("/settings/server"), "/settings/server");
    assert.equal(legacyAccountSubPath("/token"), "/token");
    for (const p of ["/", "/users", "/password", "/messagesx", "/tokens", `/a/${A}/messages`, "/api/live", "/api-keys"])
      assert.equal(legacyAccountSubPath(p), null, p);
  });

  test("a kept media file is served under /api/media for one account", () => {
    assert.equal(accountMediaPath(A, "6f1c"), `/api/media/6f1c?account=${A}`);
  });

  test("the switcher opens the same page of the other account, except what belongs to one account only", () => {
    assert.equal(appIdOfPath(`/a/${A}/settings/server`), A);
    assert.equal(appIdOfPath("/users"), null);
    assert.equal(appIdOfPath("/a/%E0%A4%A"), null, "a malformed escape is no account");
    assert.equal(samePageOf(`/a/${A}/settings/server`, B), `/a/${B}/settings/server`);
    assert.equal(samePageOf(`/a/${A}`, B), `/a/${B}`);
    assert.equal(samePageOf(`/a/${A}/messages/123`, B), `/a/${B}/messages`, "a message is one account's");
    assert.equal(samePageOf(`/a/${A}/messages/followers/o_x`, B), `/a/${B}/messages`, "so is a follower's OpenID");
    assert.equal(samePageOf(`/a/${A}/rules/6f1c2c7e-1111-4a4a-9b9b-123456789abc`, B), `/a/${B}/rules`, "so is a rule");
    assert.equal(samePageOf(`/a/${A}/rules/new`, B), `/a/${B}/rules/new`, "a new rule's form is any account's");
    assert.equal(samePageOf(`/a/${A}/inbox`, B), `/a/${B}/inbox`);
    assert.equal(samePageOf("/users", B), `/a/${B}`);
  });
});
