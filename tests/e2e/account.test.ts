import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "@playwright/test";
import { useConsoleApp } from "../helpers/console-e2e";

// One's own sessions: changing one's password, and signing out.

const fx = useConsoleApp();
const text = (p: Page, s: string | RegExp) => p.getByText(s).first();

test("a viewer changes their own password: field errors, then their other session ends and this one stays", async () => {
  const { page: vpage, user } = await fx.signedIn("viewer");
  const { page: opage } = await fx.signedIn(user);
  await opage.goto("/password");
  assert.equal(new URL(opage.url()).pathname, "/password", "the other session works before the change");
  await vpage.goto("/password");
  const form = {
    current: vpage.getByLabel("当前密码", { exact: true }),
    next: vpage.getByLabel("新密码", { exact: true }),
    again: vpage.getByLabel("再次输入新密码", { exact: true }),
    submit: vpage.getByRole("button", { name: "修改密码", exact: true }),
  };
  await form.current.fill("not my password");
  await form.next.fill("a brand new password");
  await form.again.fill("a brand new password");
  await form.submit.click();
  await text(vpage, "当前密码不正确。").waitFor();
  await form.current.fill(user.password);
  await form.next.fill("a brand new password");
  await form.again.fill("another one");
  await form.submit.click();
  await text(vpage, "两次输入的新密码不一致。").waitFor();
  await form.current.fill(user.password);
  await form.next.fill("a brand new password");
  await form.again.fill("a brand new password");
  await form.submit.click();
  await text(vpage, "密码已修改，其他登录已失效。").waitFor();
  // This browser's session was issued afresh; the other one has ended.
  await vpage.goto("/password");
  assert.equal(new URL(vpage.url()).pathname, "/password");
  await opage.goto("/password");
  assert.equal(new URL(opage.url()).pathname, "/login");
  // And the new password is the one that signs in.
  await fx.signedIn({ ...user, password: "a brand new password" });
});

test("signing out ends the session", async () => {
  const { page } = await fx.signedIn("admin");
  await page.goto("/");
  await page.getByRole("button", { name: "退出登录" }).first().click();
  await page.waitForURL((u) => u.pathname === "/login");
  await page.goto("/messages");
  assert.equal(new URL(page.url()).pathname, "/login");
});
