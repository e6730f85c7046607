import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "@playwright/test";
import { customMenuEn, customMenuZh } from "../../lib/i18n/sections/customMenu";
import { screenshot } from "../helpers/browser";
import { at, openId, useConsoleApp, type SeededAccount } from "../helpers/console-e2e";
import { eventually } from "../helpers/eventually";
import { installMenuApis, MENU_PATHS } from "../helpers/mock-wechat/menu";
import { captureAction, replayHeaders } from "../helpers/replay-action";

// The menu editor in Chromium, as a person uses it, in both languages: a two-level menu built
// button by button, a name too long in UTF-8 bytes refused while typing and fixed, the phone
// preview, publishing to the mocked menu/create, the version list and a rollback that sends the
// old version again. A viewer reads it all but cannot publish, not even by replaying the request.

const fx = useConsoleApp();
let menus: ReturnType<typeof installMenuApis> | undefined;
// Added once the fixture's mock runs (its before hook starts it).
const menuApis = () => (menus ??= installMenuApis(fx.wechatApi));

type Lang = { locale: "zh-CN" | "en-US"; m: typeof customMenuZh; nav: string; top: string; tooLong: string; fixed: string; sub: string; url: string };
const ZH: Lang = {
  locale: "zh-CN",
  m: customMenuZh,
  nav: "自定义菜单",
  top: "会员服务中心",
  tooLong: "名称太长：18 字节，最多 16 字节（一个汉字 3 字节）。",
  fixed: "会员中心",
  sub: "官网首页",
  url: "https://www.example.com/",
};
const EN: Lang = {
  locale: "en-US",
  m: customMenuEn,
  nav: "Custom menu",
  top: "VIP会员服务中心",
  tooLong: "Name too long: 21 bytes, at most 16 (a Chinese character is 3 bytes).",
  fixed: "VIP会员",
  sub: "Home page 首页",
  url: "https://www.example.com/en",
};

const strip = ({ access_token: _t, ...rest }: Record<string, unknown>) => rest;
/** Taps a button of the preview's bottom bar until its sub-menu is open, and finds `sub` in it. */
async function openSubMenu(page: Page, top: string, sub: string) {
  const preview = page.getByTestId("menu-preview");
  const bar = preview.getByRole("navigation").getByRole("button", { name: top, exact: true });
  if ((await bar.getAttribute("aria-expanded")) !== "true") await bar.click();
  assert.equal(await bar.getAttribute("aria-expanded"), "true");
  await preview.getByRole("list", { name: top }).getByRole("button", { name: sub, exact: true }).waitFor();
}
const row = (page: Page, path: string) => page.getByTestId(`menu-row-${path}`).getByRole("button").first();

async function buildAndPublish(page: Page, account: SeededAccount, L: Lang) {
  const m = L.m;
  await page.goto(at(account));
  await page.getByRole("link", { name: L.nav }).click();
  await page.getByRole("heading", { name: m.title, exact: true }).waitFor();
  await page.getByText(m.previewEmpty).waitFor();

  // A top-level button; given a sub-menu, it keeps what it did as the first sub-button.
  await page.getByRole("button", { name: `+ ${m.addTop}` }).click();
  await page.getByLabel(m.fields.name, { exact: true }).fill(L.top);
  await page.getByText(L.tooLong).waitFor();
  assert.equal(await page.getByLabel(m.fields.name, { exact: true }).getAttribute("aria-invalid"), "true");
  assert.ok(await page.getByRole("button", { name: m.publish }).isDisabled(), "an invalid menu cannot be published");
  await screenshot(page, `${L.locale === "zh-CN" ? "zh" : "en"}-menu-byte-error`);
  await page.getByLabel(m.fields.name, { exact: true }).fill(L.fixed);
  await page.getByText(m.valid).waitFor();
  assert.equal(await page.getByText(L.tooLong).count(), 0);

  await page.getByRole("button", { name: new RegExp(`^\\+ ${m.addSub}`) }).click();
  await page.getByLabel(m.fields.name, { exact: true }).fill(L.sub);
  await page.getByLabel(m.fields.type, { exact: true }).selectOption("view");
  await page.getByText(m.problems.url_missing).waitFor();
  await page.getByLabel(m.fields.url, { exact: true }).fill(L.url);
  await page.getByText(m.valid).waitFor();
  // Keyboard fallback: the view button moved above the click one.
  await row(page, "button[0].sub_button[1]").click();
  await page.getByRole("button", { name: `${m.moveUp} ${L.sub}` }).click();
  assert.equal(await row(page, "button[0].sub_button[0]").innerText(), L.sub);

  // The preview: the bar shows the top button; tapping it pops the sub-menu up.
  await openSubMenu(page, L.fixed, L.sub);
  await screenshot(page, `${L.locale === "zh-CN" ? "zh" : "en"}-menu-editor`);

  const calls = fx.wechatApi.calls(MENU_PATHS.create, account.appId);
  await page.getByText(m.publishWarning).waitFor();
  await page.getByRole("button", { name: m.publish }).click();
  await page.getByText(m.published.replace("{n}", "1")).waitFor();
  assert.equal(fx.wechatApi.calls(MENU_PATHS.create, account.appId), calls + 1);
  const first = {
    button: [
      {
        name: L.fixed,
        sub_button: [
          { type: "view", name: L.sub, url: L.url },
          { type: "click", name: L.fixed, key: "MENU_1" },
        ],
      },
    ],
  };
  assert.deepEqual(strip(fx.wechatApi.bodies(account.appId, MENU_PATHS.create).at(-1)!), first);
  await page.getByTestId("menu-version-1").waitFor();
}

async function changeAndRollBack(page: Page, account: SeededAccount, L: Lang) {
  const m = L.m;
  await row(page, "button[0].sub_button[1]").click();
  await page.getByLabel(m.fields.name, { exact: true }).fill("Changed 改");
  await page.getByRole("button", { name: m.publish }).click();
  await page.getByText(m.published.replace("{n}", "2")).waitFor();
  await page.getByTestId("menu-version-2").waitFor();
  assert.ok(await page.getByTestId("menu-version-2").innerText());

  // The diff of the two versions: one field of one button.
  await page.getByRole("checkbox", { name: `${m.compare} ${m.version} 1` }).check();
  await page.getByRole("checkbox", { name: `${m.compare} ${m.version} 2` }).check();
  const diff = page.getByRole("region", { name: m.diffTitle.replace("{a}", "1").replace("{b}", "2") });
  await diff.getByText(`name: ${L.fixed} → Changed 改`).waitFor();

  const sent = fx.wechatApi.bodies(account.appId, MENU_PATHS.create);
  const v1 = strip(sent.at(-2)!);
  await page.getByRole("button", { name: `${m.rollback} 1` }).click();
  await page.getByText(m.rolledBack.replace("{from}", "1").replace("{n}", "3")).waitFor();
  await page.getByTestId("menu-version-3").getByText(m.restoredFrom.replace("{n}", "1")).waitFor();
  assert.deepEqual(strip(fx.wechatApi.bodies(account.appId, MENU_PATHS.create).at(-1)!), v1, "the rollback sent version 1 again");
  assert.deepEqual(menuApis().menu(account.appId), v1.button);
  // The editor now holds what WeChat shows again, and so does the saved draft.
  assert.equal(await row(page, "button[0].sub_button[1]").innerText(), L.fixed);
  const draft = (await fx.sql.query(`SELECT body FROM menu_draft WHERE account_id = $1`, [account.id])).rows[0]?.body;
  assert.deepEqual(draft, v1);
  await screenshot(page, `${L.locale === "zh-CN" ? "zh" : "en"}-menu-versions`);
}

for (const L of [ZH, EN]) {
  test(`${L.locale}: build a two-level menu, see a byte-length error, fix it, preview, publish, see the version, roll back`, async () => {
    menuApis();
    const account = await fx.seedAccount({ accountType: "service" });
    const { page } = await fx.signedIn("admin", { locale: L.locale });
    await buildAndPublish(page, account, L);
    await changeAndRollBack(page, account, L);
  });
}

test("a viewer sees the menu and its preview but cannot publish, and the server refuses a replayed publish", async () => {
  menuApis();
  const account = await fx.seedAccount({ accountType: "service" });
  const admin = await fx.signedIn("admin");
  await buildAndPublish(admin.page, account, ZH);
  // The admin's own publish request, to replay.
  const publish = await captureAction(admin.page, async () => {
    await admin.page.getByRole("button", { name: customMenuZh.publish }).click();
    await admin.page.getByText(customMenuZh.published.replace("{n}", "2")).waitFor();
  });

  // Followers tap: two CLICKs on the click button, one VIEW of the web page.
  for (const [event, key] of [
    ["CLICK", "MENU_1"],
    ["CLICK", "MENU_1"],
    ["VIEW", ZH.url],
  ] as const)
    await fx.receive(account, { FromUserName: openId(), MsgType: "event", Event: event, EventKey: key });
  const viewer = await fx.signedIn("viewer", { account });
  const vpage = viewer.page;
  await vpage.goto(at(account, "/menu"));
  await vpage.getByText(customMenuZh.readOnlyViewer).waitFor();
  assert.equal(await vpage.getByRole("button", { name: customMenuZh.publish }).count(), 0);
  assert.equal(await vpage.getByRole("button", { name: customMenuZh.saveDraft }).count(), 0);
  assert.equal(await vpage.getByRole("button", { name: new RegExp(customMenuZh.rollback) }).count(), 0);
  assert.ok(await vpage.getByLabel(customMenuZh.fields.name, { exact: true }).isDisabled());
  await vpage.getByTestId("menu-version-2").waitFor();
  // Taps per button, in the tree and in the preview: 7 days · 30 days.
  await vpage.getByTestId("menu-row-button[0].sub_button[1]").getByText("7 天 2 · 30 天 2").waitFor();
  await vpage.getByTestId("menu-row-button[0].sub_button[0]").getByText("7 天 1 · 30 天 1").waitFor();
  await vpage.getByTestId("menu-row-button[0]").getByText("7 天 3 · 30 天 3").waitFor();
  await openSubMenu(vpage, ZH.fixed, ZH.sub);
  await vpage.getByTestId("menu-preview").getByText("2 / 2").waitFor();
  await screenshot(vpage, "zh-menu-viewer");

  const headers = replayHeaders(publish);
  const calls = fx.wechatApi.calls(MENU_PATHS.create, account.appId);
  const count = async () => Number((await fx.sql.query(`SELECT count(*) AS n FROM menu_version WHERE account_id = $1`, [account.id])).rows[0].n);
  const res = await viewer.context.request.post(publish.url, { headers, data: publish.body });
  const answer = await res.text();
  assert.ok(!answer.includes("已发布为版本"), `the viewer's replay published: ${answer.slice(0, 300)}`);
  assert.equal(fx.wechatApi.calls(MENU_PATHS.create, account.appId), calls, "menu/create was not called for the viewer");
  assert.equal(await count(), 2);
  // The same request with the admin's session does publish: the refusal was the role.
  const ok = await admin.context.request.post(publish.url, { headers, data: publish.body });
  assert.ok((await ok.text()).includes("已发布为版本 3"));
  await eventually(async () => (await count()) === 3, { what: "version 3" });
});

test("an account without the menu API gets a read-only editor with the reason", async () => {
  menuApis();
  const account = await fx.seedAccount({ accountType: "subscription", certified: false });
  const { page } = await fx.signedIn("admin", { locale: "en-US" });
  await page.goto(at(account, "/menu"));
  await page.getByText(/This account cannot publish a menu through the API: .*certification/).waitFor();
  assert.equal(await page.getByRole("button", { name: customMenuEn.publish }).count(), 0);
  await screenshot(page, "en-menu-no-api");
  // The setup step says so before the switch.
  await page.goto(at(account, "/settings/menu"));
  await page.getByText(customMenuEn.takeover.noMenuApi).waitFor();
  await page.getByRole("button", { name: customMenuEn.takeover.importButton }).waitFor();
  await screenshot(page, "en-menu-keep-step");
  // Between API access, which reading the platform's menu needs, and the auto-replies.
  const target = async (name: string) => new URL((await page.getByRole("link", { name, exact: true }).getAttribute("href"))!, fx.app.url).pathname;
  assert.equal(await target("← Back"), at(account, "/settings/api"));
  assert.equal(await target("Next: Keep your auto-replies →"), at(account, "/settings/replies"));
});
