import assert from "node:assert/strict";
import { test } from "node:test";
import { deflateSync } from "node:zlib";
import { screenshot } from "../helpers/browser";
import { at, useConsoleApp, type SeededAccount } from "../helpers/console-e2e";
import { TOKEN_PATHS, wechatErrmsg } from "../helpers/mock-wechat-api";
import { AUTOREPLY_PATH, installAutoreply, type MockAutoreply } from "../helpers/mock-wechat/autoreply";
import { installMediaApis } from "../helpers/mock-wechat/media";

// The setup step 保留原有自动回复 / Keep your auto-replies, as an admin takes it: the page reads
// what the MP admin holds from the mock, one click imports it, and the imported rules are shown
// with the image mpdesk kept. In both languages; a viewer sees it all and cannot import.

const fx = useConsoleApp();
let autoreply: ReturnType<typeof installAutoreply> | undefined;

const L = {
  "zh-CN": {
    tag: "zh",
    step: "保留原有自动回复",
    import: "导入到 mpdesk",
    again: "重新导入",
    done: "导入完成：新增 4 条，更新 0 条，未变 0 条。",
    doneAgain: "导入完成：新增 0 条，更新 0 条，未变 4 条。",
    imported: "已导入 mpdesk 的规则",
    reason: "「回复全部」的第二条及之后的回复要通过客服消息接口发送",
    errorTitle: "无法读取公众号后台的自动回复",
    whitelist: /IP 白名单中添加 198\.51\.100\.9/,
    order: [/账号类型/, /开发者凭据/, /接口调用/, /保留原有菜单/, /保留原有自动回复/, /服务器地址/],
    noToken: "还没有可用的 access_token",
    toApi: /去接口调用/,
  },
  "en-US": {
    tag: "en",
    step: "Keep your auto-replies",
    import: "Import into mpdesk",
    again: "Import again",
    done: "Imported: 4 added, 0 updated, 0 unchanged.",
    doneAgain: "Imported: 0 added, 0 updated, 4 unchanged.",
    imported: "Rules imported into mpdesk",
    reason: "sends the 2nd and later replies through the customer-service API",
    errorTitle: "The MP admin's auto-replies could not be read",
    whitelist: /Add 198\.51\.100\.9 to the IP whitelist/,
    order: [/Account/, /Credentials/, /API access/, /Keep your menu/, /Keep your auto-replies/, /Server URL/],
    noToken: "No working access_token yet",
    toApi: /Go to API access/,
  },
} as const;

/** A real PNG (a solid colour), so the browser draws the kept image. */
function solidPng(w: number, h: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

function platform(appId: string): MockAutoreply {
  return {
    is_add_friend_reply_open: 1,
    is_autoreply_open: 1,
    add_friend_autoreply_info: { type: "text", content: "欢迎关注！回复「菜单」查看今日推荐" },
    message_default_autoreply_info: { type: "text", content: "已收到，我们会尽快回复" },
    keyword_autoreply_info: {
      list: [
        {
          rule_name: "今日推荐",
          create_time: 1764600000,
          reply_mode: "reply_all",
          keyword_list_info: [
            { type: "text", match_mode: "equal", content: "菜单" },
            { type: "text", match_mode: "contain", content: "推荐" },
          ],
          reply_list_info: [{ type: "img", content: platformApis().seedMedia(appId, "image", solidPng(96, 64, [16, 150, 100]), "image/png", "menu.png") }],
        },
        {
          rule_name: "营业时间",
          create_time: 1764600100,
          reply_mode: "reply_all",
          keyword_list_info: [{ type: "text", match_mode: "contain", content: "营业" }],
          reply_list_info: [
            { type: "text", content: "每天 9:00–18:00" },
            { type: "text", content: "节假日照常营业" },
          ],
        },
      ],
    },
  };
}

/** The mock's auto-reply and media APIs, added to the fixture's mock once it runs. */
function platformApis() {
  autoreply ??= installAutoreply(fx.wechatApi, installMediaApis(fx.wechatApi));
  return autoreply;
}

for (const locale of ["zh-CN", "en-US"] as const) {
  const l = L[locale];
  test(`${l.tag}: the setup step shows the platform's auto-replies and imports them with one click`, async () => {
    const sim: SeededAccount = await fx.seedAccount({ mode: "safe" });
    platformApis().set(sim.appId, platform(sim.appId));
    const { page } = await fx.signedIn("admin", { locale });
    await page.goto(at(sim, "/settings/replies"));
    const stepper = page.getByRole("navigation").filter({ has: page.getByRole("link", { name: l.step }) });
    await stepper.waitFor();
    // After API access (reading the platform needs a token) and the menu, before the server URL
    // (the switch), and the current one.
    const steps = await stepper.getByRole("listitem").allInnerTexts();
    assert.equal(steps.length, l.order.length, steps.join(" | "));
    l.order.forEach((label, i) => assert.match(steps[i]!, label, steps.join(" | ")));
    assert.equal(
      steps.findIndex((s) => s.includes(l.step)),
      4,
    );
    assert.equal(await stepper.getByRole("link", { name: l.step }).getAttribute("aria-current"), "step");
    await page.getByText("欢迎关注！回复「菜单」查看今日推荐").waitFor();
    await page.getByText("今日推荐", { exact: true }).first().waitFor();
    await screenshot(page, `${l.tag}-reply-import-before`);

    await page.getByRole("button", { name: l.import }).click();
    await page.getByRole("status").filter({ hasText: l.done }).waitFor();
    const imported = page.getByRole("list", { name: l.imported });
    await imported.waitFor();
    assert.match(await imported.innerText(), /被关注回复/);
    assert.match(await imported.innerText(), new RegExp(l.reason));
    const img = imported.locator("img");
    await img.waitFor();
    await page.waitForFunction(() => {
      const i = document.querySelector("ul img") as HTMLImageElement | null;
      return !!i && i.complete && i.naturalWidth === 96;
    });
    await screenshot(page, `${l.tag}-reply-import-after`);

    // One click again: nothing changes, and the page says so.
    await page.getByRole("button", { name: l.again }).click();
    await page.getByRole("status").filter({ hasText: l.doneAgain }).waitFor();
    const { rows } = await fx.sql.query(`SELECT name, enabled, disabled_reason FROM reply_rule WHERE account_id = $1 ORDER BY name`, [sim.id]);
    assert.equal(rows.length, 4);
    assert.deepEqual(
      rows.find((r) => r.name === "营业时间"),
      { name: "营业时间", enabled: false, disabled_reason: "reply_all_needs_customer_service" },
    );
  });

  test(`${l.tag}: a WeChat error is explained in words`, async () => {
    const sim = await fx.seedAccount({ mode: "safe" });
    fx.wechatApi.failAlways(sim.appId, AUTOREPLY_PATH, { errcode: 40164, errmsg: wechatErrmsg(40164, { ip: "198.51.100.9" }) });
    const { page } = await fx.signedIn("admin", { locale });
    await page.goto(at(sim, "/settings/replies"));
    const alert = page.getByRole("alert").filter({ hasText: l.errorTitle });
    await alert.waitFor();
    assert.match(await alert.innerText(), l.whitelist);
    await screenshot(page, `${l.tag}-reply-import-error`);
  });

  test(`${l.tag}: without a token yet, the step says so and leads to API access`, async () => {
    const sim = await fx.seedAccount({ mode: "safe" });
    fx.wechatApi.failAlways(sim.appId, TOKEN_PATHS.stable, { errcode: 40164, errmsg: wechatErrmsg(40164, { ip: "198.51.100.9" }) });
    const { page } = await fx.signedIn("admin", { locale });
    await page.goto(at(sim, "/settings/replies"));
    await page.getByText(l.noToken).waitFor();
    await page.getByRole("link", { name: l.toApi }).click();
    await page.waitForURL((u) => u.pathname === at(sim, "/settings/api"));
  });
}

test("a viewer sees the platform's rules and cannot import", async () => {
  const sim = await fx.seedAccount({ mode: "safe" });
  platformApis().set(sim.appId, platform(sim.appId));
  const { page } = await fx.signedIn("viewer", { account: sim });
  await page.goto(at(sim, "/settings/replies"));
  await page.getByText("欢迎关注！回复「菜单」查看今日推荐").waitFor();
  await page.getByText("只有这个公众号的管理员可以导入。").waitFor();
  assert.equal(await page.getByRole("button", { name: "导入到 mpdesk" }).count(), 0);
});
