import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "@playwright/test";
import { pairKey } from "../../lib/auth/login-throttle";
import { screenshot, signIn } from "../helpers/browser";
import { useConsoleApp } from "../helpers/console-e2e";

// Signed out, and the login form itself: these tests type into it, as a person would.

const fx = useConsoleApp();
const text = (p: Page, s: string | RegExp) => p.getByText(s).first();

test("every console page redirects to /login; the API answers 401", async () => {
  const { page } = await fx.signedOut();
  for (const path of ["/", "/messages", "/settings/credentials", "/a/wx0123456789abcdef/messages", "/accounts/new", "/users"]) {
    await page.goto(path);
    const url = new URL(page.url());
    assert.equal(url.pathname, "/login", `${path} did not redirect`);
  }
  const res = await fetch(`${fx.app.url}/api/messages/export?format=csv`, { redirect: "manual" });
  assert.equal(res.status, 401);
  await screenshot(page, "zh-login");
});

test("a wrong password is refused without saying which field was wrong", async () => {
  const user = await fx.newUser("admin");
  const { page } = await fx.signedOut();
  await signIn(page, user.email, "wrong password");
  await text(page, "邮箱或密码不正确。").waitFor();
  assert.equal(new URL(page.url()).pathname, "/login");
});

test("five failures lock that e-mail from this address, even for the right password", async () => {
  const user = await fx.newUser("viewer");
  const { page } = await fx.signedOut();
  for (let i = 0; i < 5; i++) {
    await signIn(page, user.email, `wrong ${i}`);
    await text(page, "邮箱或密码不正确。").waitFor();
  }
  await signIn(page, user.email, user.password);
  await text(page, /登录失败次数过多/).waitFor();
  assert.equal(new URL(page.url()).pathname, "/login");
  // Counted per (e-mail, address) in PostgreSQL: five failures and the refused sixth attempt.
  const { rows } = await fx.sql.query(`SELECT attempts FROM login_throttle WHERE key = $1`, [pairKey(user.email, "127.0.0.1")]);
  assert.equal(rows[0]?.attempts, 6, "attempts are kept in PostgreSQL");
  await screenshot(page, "zh-login-throttled");
});

test("the language switch changes every label and is remembered", async () => {
  const { page } = await fx.signedOut();
  await page.goto("/login");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
  await page.reload();
  await page.getByLabel("Email").waitFor();
  await page.getByLabel("Password").waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  await screenshot(page, "en-login");
  await page.getByRole("button", { name: "中文" }).click();
  await page.getByRole("button", { name: "登录", exact: true }).waitFor();
});
