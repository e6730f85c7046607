import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { computeSignature, verifySignature, verifyMsgSignature } from "../../lib/wechat/signature";

const sha1 = (s: string) => createHash("sha1").update(s, "utf8").digest("hex");

test("official GET verification vector", () => {
  const p = { token: "AAAAA", timestamp: "1714036504", nonce: "1514711492" };
  assert.equal(computeSignature(p.token, p.timestamp, p.nonce), "f464b24fc39322e44b38aa78f5edd27bd1441696");
  assert.equal(verifySignature({ ...p, signature: "f464b24fc39322e44b38aa78f5edd27bd1441696" }), true);
});

test("official plaintext POST vector", () => {
  const p = { token: "AAAAA", timestamp: "1714037059", nonce: "486452656" };
  assert.equal(computeSignature(p.token, p.timestamp, p.nonce), "899cf89e464efb63f54ddac96b0a0a235f53aa78");
  assert.equal(verifySignature({ ...p, signature: "899cf89e464efb63f54ddac96b0a0a235f53aa78" }), true);
});

test("wechatpy vector", () => {
  const p = { token: "test", timestamp: "1410685589", nonce: "test" };
  assert.equal(computeSignature(p.token, p.timestamp, p.nonce), "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff");
  assert.equal(verifySignature({ ...p, signature: "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff" }), true);
});

test("argument order does not matter; sorting is plain code-unit order", () => {
  assert.equal(computeSignature("b", "a", "B"), sha1("Bab"));
  assert.equal(computeSignature("1514711492", "AAAAA", "1714036504"), computeSignature("AAAAA", "1714036504", "1514711492"));
  // Digits sort before upper case, upper before lower, shorter prefix first.
  assert.equal(computeSignature("ab", "a", "Z", "9"), sha1("9Zaab"));
});

test("computeSignature does not reorder the caller's array", () => {
  const parts = ["c", "a", "b"];
  computeSignature(...parts);
  assert.deepEqual(parts, ["c", "a", "b"]);
});

test("verifySignature accepts upper-case hex", () => {
  assert.equal(verifySignature({ token: "AAAAA", timestamp: "1714036504", nonce: "1514711492", signature: "F464B24FC39322E44B38AA78F5EDD27BD1441696" }), true);
});

test("verifySignature rejects wrong, truncated, empty and over-long signatures without throwing", () => {
  const p = { token: "AAAAA", timestamp: "1714036504", nonce: "1514711492" };
  for (const signature of [
    "f464b24fc39322e44b38aa78f5edd27bd1441697",
    "f464b24fc39322e44b38aa78f5edd27bd144169",
    "",
    "f464b24fc39322e44b38aa78f5edd27bd1441696a",
    "f464b24fc39322e44b38aa78f5edd27bd144169é",
    "x".repeat(10_000),
  ]) {
    assert.equal(verifySignature({ ...p, signature }), false, signature.slice(0, 50));
  }
  assert.equal(verifySignature({ ...p, token: "AAAAB", signature: "f464b24fc39322e44b38aa78f5edd27bd1441696" }), false);
});

test("msg_signature: official safe-mode vector", () => {
  const encrypt =
    "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";
  const p = { token: "AAAAA", timestamp: "1714112445", nonce: "415670741", encrypt };
  assert.equal(computeSignature(p.token, p.timestamp, p.nonce, p.encrypt), "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3");
  assert.equal(verifyMsgSignature({ ...p, msgSignature: "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3" }), true);
  assert.equal(verifyMsgSignature({ ...p, encrypt: encrypt.replace("+", "/"), msgSignature: "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3" }), false);
});

test("msg_signature: Tencent Java sample vector", () => {
  const p = {
    token: "pamtest",
    timestamp: "1409304348",
    nonce: "xxxxxx",
    encrypt: "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
  };
  assert.equal(verifyMsgSignature({ ...p, msgSignature: "82c962d39941aa48552f90ef55aa323dc620cc10" }), true);
  assert.equal(verifyMsgSignature({ ...p, msgSignature: "82C962D39941AA48552F90EF55AA323DC620CC10" }), true);
  assert.equal(verifyMsgSignature({ ...p, nonce: "xxxxxy", msgSignature: "82c962d39941aa48552f90ef55aa323dc620cc10" }), false);
  assert.equal(verifyMsgSignature({ ...p, msgSignature: "" }), false);
});

test("the plain signature is not a valid msg_signature (Encrypt is covered)", () => {
  const p = { token: "AAAAA", timestamp: "1714036504", nonce: "1514711492" };
  assert.equal(verifyMsgSignature({ ...p, encrypt: "", msgSignature: "f464b24fc39322e44b38aa78f5edd27bd1441696" }), true);
  assert.equal(verifyMsgSignature({ ...p, encrypt: "x", msgSignature: "f464b24fc39322e44b38aa78f5edd27bd1441696" }), false);
});
