import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "@playwright/test";
import { customMenuEn, customMenuZh } from "../../lib/i18n/sections/customMenu";
import { screenshot } from "../helpers/browser";
import { at, useConsoleApp, type SeededAccount } from "../helpers/console-e2e";
import { installMenuApis, MENU_PATHS } from "../helpers/mock-wechat/menu";
import { isServerAction, replayHeaders, toCaptured, type CapturedAction } from "../helpers/replay-action";

// The menu's takeover and its conditional menus in Chromium, in both languages: the Keep your
// menu step shows the MP admin's menu before importing it, the import lands in the editor as the
// draft, the default menu is published, a conditional menu is added for a tag from the editor,
// and "which menu does this follower see?" shows it for a follower with that tag. A viewer sees
// the list but cannot add or remove, not even by replaying the admin's requests.

const fx = useConsoleApp();
let menus: ReturnType<typeof installMenuApis> | undefined;
const menuApis = () => (menus ??= installMenuApis(fx.wechatApi));
const fmt = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));

type Lang = { locale: "zh-CN" | "en-US"; tag: string; m: typeof customMenuZh; vip: string };
const ZH: Lang = { locale: "zh-CN", tag: "zh", m: customMenuZh, vip: "会员专享" };
const EN: Lang = { locale: "en-US", tag: "en", m: customMenuEn, vip: "VIP only" };

function platformMenu(account: SeededAccount) {
  menuApis().setPlatformMenu(account.appId, [
    { type: "text", name: "联系我们", value: "电话 010-1234567" },
    { name: "更多", sub_button: { list: [{ type: "view", name: "官网", url: "https://www.example.com/" }] } },
  ]);
  menuApis().setTags(account.appId, [
    { id: 2, name: "星标组" },
    { id: 100, name: "VIP" },
  ]);
  menuApis().setFollower(account.appId, "o_vip_follower", [100]);
  menuApis().setFollower(account.appId, "o_plain_follower", []);
}

async function importAndPublish(page: Page, account: SeededAccount, L: Lang) {
  const k = L.m.takeover;
  await page.goto(at(account, "/settings/menu"));
  const panel = page.getByTestId("platform-menu");
  await panel.getByText("联系我们").waitFor();
  await panel.getByText(k.becomesClick).waitFor();
  await panel.getByText("https://www.example.com/").waitFor();
  assert.equal(await panel.getByText(k.becomesClick).count(), 1, "only the text button becomes a click button");
  await screenshot(page, `${L.tag}-menu-keep-platform`);
  await page.getByRole("button", { name: k.importButton }).click();
  await page.getByRole("link", { name: k.review }).click();
  await page.getByRole("heading", { name: L.m.title, exact: true }).waitFor();
  await page.getByTestId("menu-row-button[0]").getByText("联系我们").waitFor();
  await page.getByRole("button", { name: L.m.publish }).click();
  await page.getByText(fmt(L.m.published, { n: 1 })).waitFor();
}

for (const L of [ZH, EN]) {
  test(`${L.locale}: see the platform's menu, import it, publish it, add a conditional menu for a tag, trymatch shows it`, async () => {
    const account = await fx.seedAccount({ accountType: "service" });
    platformMenu(account);
    const { page } = await fx.signedIn("admin", { locale: L.locale });
    await importAndPublish(page, account, L);
    const c = L.m.conditional;
    await page.reload();
    const section = page.getByTestId("conditional-menus");
    await section.getByText(c.empty).waitFor();

    // The editor's menu, changed and not published, becomes the VIP menu.
    await page.getByTestId("menu-row-button[0]").getByRole("button").first().click();
    await page.getByLabel(L.m.fields.name, { exact: true }).fill(L.vip);
    await section.getByLabel(c.tag, { exact: true }).selectOption("100");
    // WeChat's cap on conditional menus (it publishes no number) reads in words, and nothing is kept.
    fx.wechatApi.script(account.appId, MENU_PATHS.addConditional, { errcode: 65305, errmsg: "conditional menu count limit" });
    await section.getByRole("button", { name: c.addFor }).click();
    await section.getByText(c.tooMany).waitFor();
    assert.equal(menuApis().conditional(account.appId).length, 0);
    await section.getByRole("button", { name: c.addFor }).click();
    await section.getByText(c.added.split("{id}")[0]!.replace("{tag}", "VIP")).waitFor();
    const held = menuApis().conditional(account.appId);
    assert.equal(held.length, 1);
    assert.deepEqual(held[0]!.matchrule, { tag_id: "100" });
    assert.equal(held[0]!.button[0]!.name, L.vip);
    await section.getByRole("cell", { name: fmt(c.tagName, { name: "VIP", id: 100 }), exact: true }).waitFor();

    await page.getByLabel(c.openId, { exact: true }).fill("o_vip_follower");
    await page.getByRole("button", { name: c.tryButton }).click();
    await page
      .getByTestId("trymatch-result")
      .getByText(fmt(c.sees, { which: fmt(c.seesConditional, { tag: fmt(c.tagName, { name: "VIP", id: 100 }) }) }))
      .waitFor();
    await page.getByTestId("trymatch-preview").getByRole("button", { name: L.vip }).waitFor();
    await screenshot(page, `${L.tag}-menu-conditional`);
    await page.getByLabel(c.openId, { exact: true }).fill("o_plain_follower");
    await page.getByRole("button", { name: c.tryButton }).click();
    await page
      .getByTestId("trymatch-result")
      .getByText(fmt(c.sees, { which: c.seesDefault }))
      .waitFor();
    await page.getByTestId("trymatch-preview").getByRole("button", { name: "联系我们" }).waitFor();
  });
}

test("a viewer sees the conditional menus but cannot add or remove one; the server refuses the replayed requests", async () => {
  const account = await fx.seedAccount({ accountType: "service" });
  platformMenu(account);
  const admin = await fx.signedIn("admin");
  await importAndPublish(admin.page, account, ZH);
  const c = customMenuZh.conditional;
  await admin.page.reload();
  const section = admin.page.getByTestId("conditional-menus");

  // The admin's add request, sent, and the admin's remove request, captured and held back.
  const captured: CapturedAction[] = [];
  await admin.page.route("**/*", async (route) => {
    const r = route.request();
    if (isServerAction(r)) {
      captured.push(await toCaptured(r));
      if (captured.length === 2) return route.abort();
    }
    return route.continue();
  });
  await section.getByLabel(c.tag, { exact: true }).selectOption("100");
  await section.getByRole("button", { name: c.addFor }).click();
  await section.getByText(/已为标签「VIP」添加个性化菜单/).waitFor();
  admin.page.on("dialog", (d) => void d.accept());
  await section.getByRole("button", { name: `${c.remove}: VIP（100）` }).click();
  while (captured.length < 2) await new Promise((r) => setTimeout(r, 50));
  await admin.page.unroute("**/*");
  assert.equal(menuApis().conditional(account.appId).length, 1, "the held-back remove did not reach mpdesk");

  const viewer = await fx.signedIn("viewer", { account });
  await viewer.page.goto(at(account, "/menu"));
  const vsection = viewer.page.getByTestId("conditional-menus");
  await vsection.getByText(c.readOnly).waitFor();
  await vsection.getByRole("cell", { name: "VIP（100）", exact: true }).waitFor();
  assert.equal(await vsection.getByRole("button", { name: c.addFor }).count(), 0);
  assert.equal(await vsection.getByRole("button", { name: new RegExp(c.remove) }).count(), 0);
  // Which menu a follower sees changes nothing: a viewer may ask.
  await viewer.page.getByLabel(c.openId, { exact: true }).fill("o_vip_follower");
  await viewer.page.getByRole("button", { name: c.tryButton }).click();
  await viewer.page.getByTestId("trymatch-result").waitFor();
  await screenshot(viewer.page, "zh-menu-conditional-viewer");

  const adds = fx.wechatApi.calls(MENU_PATHS.addConditional, account.appId);
  const dels = fx.wechatApi.calls(MENU_PATHS.delConditional, account.appId);
  for (const req of captured) {
    const res = await viewer.context.request.post(req.url, { headers: replayHeaders(req), data: req.body });
    const answer = await res.text();
    assert.ok(!/已为标签|已删除个性化菜单/.test(answer), `the viewer's replay ran: ${answer.slice(0, 300)}`);
  }
  assert.equal(fx.wechatApi.calls(MENU_PATHS.addConditional, account.appId), adds, "addconditional was not called for the viewer");
  assert.equal(fx.wechatApi.calls(MENU_PATHS.delConditional, account.appId), dels, "delconditional was not called for the viewer");
  assert.equal(menuApis().conditional(account.appId).length, 1);
  // The admin's own held-back remove does run: the refusal was the role.
  const ok = await admin.context.request.post(captured[1]!.url, { headers: replayHeaders(captured[1]!), data: captured[1]!.body });
  assert.ok((await ok.text()).includes("已删除个性化菜单"));
  assert.equal(menuApis().conditional(account.appId).length, 0);
});
