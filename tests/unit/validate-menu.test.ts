import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { diffMenus } from "../../lib/menu/diff-menu";
import { formatMenuProblems, utf8Bytes, validateMenu, type MenuButton } from "../../lib/menu/validate-menu";

const click = (name: string, key: string): MenuButton => ({ type: "click", name, key });
const codes = (doc: unknown) => validateMenu(doc).map((p) => `${p.path} ${p.code} ${p.errcode}`);

describe("utf8Bytes counts as WeChat does", () => {
  test("Latin 1, Chinese 3, accented 2, emoji 4", () => {
    assert.equal(utf8Bytes("Menu"), 4);
    assert.equal(utf8Bytes("菜单"), 6);
    assert.equal(utf8Bytes("Café"), 5);
    assert.equal(utf8Bytes("😀"), 4);
    assert.equal(utf8Bytes("VIP会员"), 3 + 6);
    assert.equal(utf8Bytes("在线客服ABCD"), 12 + 4);
    for (const s of ["VIP会员", "Café 😀 菜单", "ａｂｃ", "x"]) assert.equal(utf8Bytes(s), new TextEncoder().encode(s).length, s);
  });
});

describe("validateMenu", () => {
  test("a valid two-level menu of every leaf type has no problem", () => {
    const doc = {
      button: [
        click("今日歌曲", "V1001_TODAY_MUSIC"),
        {
          name: "菜单",
          sub_button: [
            { type: "view", name: "搜索", url: "http://www.soso.com/" },
            { type: "miniprogram", name: "wxa", url: "https://mp.weixin.qq.com", appid: "wx286b93c14bbf93aa", pagepath: "pages/lunar/index" },
            { type: "scancode_push", name: "扫码推事件", key: "rselfmenu_0_1" },
            { type: "pic_weixin", name: "微信相册发图", key: "rselfmenu_1_2" },
            { type: "article_id", name: "文章", article_id: "ARTICLE_ID1" },
          ],
        },
        {
          name: "更多",
          sub_button: [
            { type: "scancode_waitmsg", name: "扫码带提示", key: "rselfmenu_0_0" },
            { type: "pic_sysphoto", name: "系统拍照发图", key: "rselfmenu_1_0" },
            { type: "pic_photo_or_album", name: "拍照或者相册发图", key: "rselfmenu_1_1" },
            { type: "location_select", name: "发送位置", key: "rselfmenu_2_0" },
            { type: "article_view_limited", name: "受限文章", article_id: "ARTICLE_ID2" },
          ],
        },
      ],
    };
    assert.deepEqual(validateMenu(doc), []);
  });

  test("a top-level name: 16 bytes pass, 17 fail — 5 Chinese characters and a letter is 16, 6 characters are 18", () => {
    assert.deepEqual(codes({ button: [click("会员服务中A", "k")] }), [], "3×5+1 = 16 bytes");
    assert.deepEqual(codes({ button: [click("会员服务中AB", "k")] }), ["button[0].name name_too_long 40018"], "17 bytes");
    assert.deepEqual(codes({ button: [click("会员服务中心", "k")] }), ["button[0].name name_too_long 40018"], "6 Chinese characters: 18 bytes");
    assert.deepEqual(codes({ button: [click("abcdefghijklmnop", "k")] }), [], "16 Latin letters");
    assert.deepEqual(codes({ button: [click("VIP会员中心", "k")] }), [], "VIP (3) + 4 Chinese characters (12) = 15");
  });

  test("the byte count is reported: limit and actual", () => {
    const [p] = validateMenu({ button: [click("VIP会员中心服务", "k")] });
    assert.equal(p?.code, "name_too_long");
    assert.deepEqual([p?.limit, p?.actual], [16, 3 + 18]);
  });

  test("a sub-menu name: 60 bytes pass (20 Chinese characters), 61 fail with 40025", () => {
    const twenty = "一二三四五六七八九十".repeat(2);
    assert.deepEqual(codes({ button: [{ name: "m", sub_button: [click(twenty, "a")] }] }), []);
    assert.deepEqual(codes({ button: [{ name: "m", sub_button: [click(twenty + "x", "a")] }] }), ["button[0].sub_button[0].name name_too_long 40025"]);
    assert.deepEqual(codes({ button: [{ name: "m", sub_button: [click("x".repeat(57) + "菜", "a")] }] }), [], "57 + 3 = 60");
  });

  test("button counts: 1–3 top level (40016), 1–5 per sub-menu (40023)", () => {
    assert.deepEqual(codes({ button: [] }), ["button button_count 40016"]);
    assert.deepEqual(codes({ button: [click("a", "1"), click("b", "2"), click("c", "3"), click("d", "4")] }), ["button button_count 40016"]);
    const six = Array.from({ length: 6 }, (_, i) => click(`s${i}`, `k${i}`));
    assert.deepEqual(codes({ button: [{ name: "m", sub_button: six }] }), ["button[0].sub_button sub_button_count 40023"]);
    assert.deepEqual(codes({ button: [{ name: "m", sub_button: [] }] }), ["button[0].sub_button sub_button_count 40023"]);
    assert.deepEqual(codes({ button: [{ name: "m", sub_button: six.slice(0, 5) }] }), []);
  });

  test("types: unknown or missing is 40017 at the top, 40024 below; a third level is 40022", () => {
    assert.deepEqual(codes({ button: [{ name: "a", type: "text", key: "k" }] }), ["button[0].type type_invalid 40017"]);
    assert.deepEqual(codes({ button: [{ name: "a" }] }), ["button[0].type type_invalid 40017"]);
    assert.deepEqual(codes({ button: [{ name: "m", sub_button: [{ name: "a", type: "media_id", media_id: "x" }] }] }), [
      "button[0].sub_button[0].type type_invalid 40024",
    ]);
    assert.deepEqual(codes({ button: [{ name: "m", sub_button: [{ name: "a", type: "click", key: "k", sub_button: [click("b", "c")] }] }] }), [
      "button[0].sub_button[0].sub_button sub_menu_level 40022",
    ]);
  });

  test("a leaf as menu/get returns it (sub_button: []) is a leaf", () => {
    assert.deepEqual(codes({ button: [{ type: "click", name: "a", key: "k", sub_button: [] }] }), []);
  });

  test("keys: required for click and the event types, at most 128 bytes, unique in the whole menu", () => {
    assert.deepEqual(codes({ button: [{ type: "click", name: "a" }] }), ["button[0].key key_missing 40019"]);
    assert.deepEqual(codes({ button: [{ type: "location_select", name: "a", key: "" }] }), ["button[0].key key_missing 40019"]);
    assert.deepEqual(codes({ button: [click("a", "k".repeat(128))] }), []);
    assert.deepEqual(codes({ button: [click("a", "k".repeat(127) + "é")] }), ["button[0].key key_too_long 40019"]);
    assert.deepEqual(codes({ button: [{ name: "m", sub_button: [click("a", "键".repeat(43))] }] }), ["button[0].sub_button[0].key key_too_long 40026"]);
    assert.deepEqual(codes({ button: [click("a", "same"), { name: "m", sub_button: [click("b", "same")] }] }), [
      "button[1].sub_button[0].key key_duplicate 40026",
    ]);
  });

  test("urls: required for view and miniprogram, at most 1024 bytes, http(s) only", () => {
    const view = (url?: string) => ({ button: [{ name: "m", sub_button: [{ type: "view", name: "v", ...(url === undefined ? {} : { url }) }] }] });
    assert.deepEqual(codes(view()), ["button[0].sub_button[0].url url_missing 40027"]);
    assert.deepEqual(codes(view("https://example.com/" + "a".repeat(1004))), []);
    assert.deepEqual(codes(view("https://example.com/" + "a".repeat(1005))), ["button[0].sub_button[0].url url_too_long 40027"]);
    assert.deepEqual(codes(view("https://example.com/" + "页".repeat(335))), ["button[0].sub_button[0].url url_too_long 40027"], "20 + 1005 bytes");
    assert.deepEqual(codes(view("javascript:alert(1)")), ["button[0].sub_button[0].url url_scheme 40027"]);
    assert.deepEqual(codes(view("ftp://example.com/")), ["button[0].sub_button[0].url url_scheme 40027"]);
    assert.deepEqual(codes({ button: [{ type: "view", name: "v", url: "HTTP://EXAMPLE.COM" }] }), []);
    assert.deepEqual(codes({ button: [{ type: "view", name: "v", url: "www.example.com" }] }), ["button[0].url url_scheme 40020"]);
  });

  test("miniprogram needs url, appid and pagepath; article types need article_id", () => {
    assert.deepEqual(codes({ button: [{ type: "miniprogram", name: "m" }] }), [
      "button[0].url url_missing 40020",
      "button[0].appid appid_missing 40017",
      "button[0].pagepath pagepath_missing 40017",
    ]);
    assert.deepEqual(
      codes({
        button: [
          { type: "article_id", name: "a" },
          { type: "article_view_limited", name: "b" },
        ],
      }),
      ["button[0].article_id article_id_missing 40017", "button[1].article_id article_id_missing 40017"],
    );
  });

  test("names are required at both levels; every problem is reported, not only the first", () => {
    assert.deepEqual(
      codes({
        button: [
          {
            sub_button: [
              { type: "click", key: "a" },
              { type: "view", name: "长".repeat(21), url: "x" },
            ],
          },
        ],
      }),
      [
        "button[0].name name_missing 40018",
        "button[0].sub_button[0].name name_missing 40025",
        "button[0].sub_button[1].name name_too_long 40025",
        "button[0].sub_button[1].url url_scheme 40027",
      ],
    );
  });

  test("not a menu at all", () => {
    assert.deepEqual(codes(null), ["button not_a_menu 40016"]);
    assert.deepEqual(codes({ menu: { button: [] } }), ["button not_a_menu 40016"]);
    assert.deepEqual(codes({ button: ["x"] }), ["button[0] type_invalid 40017"]);
  });

  test("the CLI's lines name the path, the reason and WeChat's errcode", () => {
    assert.deepEqual(formatMenuProblems(validateMenu({ button: [click("会员服务中心", "k")] })), [
      "button[0].name: 18 bytes; at most 16 (UTF-8: a Chinese character is 3 bytes) (WeChat 40018, name_too_long)",
    ]);
  });
});

describe("diffMenus", () => {
  const v1 = {
    button: [click("今日", "TODAY"), { name: "菜单", sub_button: [{ type: "view", name: "搜索", url: "https://a.example/" }, click("赞", "LIKE")] }],
  };

  test("the same menu has no change", () => {
    assert.deepEqual(diffMenus(v1, structuredClone(v1)), []);
  });

  test("added, removed, changed fields and moves, button by button", () => {
    const v2 = {
      button: [
        { name: "菜单", sub_button: [click("赞一下", "LIKE"), { type: "view", name: "搜索", url: "https://b.example/" }] },
        { type: "location_select", name: "位置", key: "LOC" },
      ],
    };
    assert.deepEqual(diffMenus(v1, v2), [
      { kind: "moved", path: "button[0]", fromPath: "button[1]", name: "菜单" },
      {
        kind: "changed",
        path: "button[0].sub_button[0]",
        fromPath: "button[1].sub_button[1]",
        name: "赞一下",
        fields: [{ field: "name", from: "赞", to: "赞一下" }],
      },
      {
        kind: "changed",
        path: "button[0].sub_button[1]",
        fromPath: "button[1].sub_button[0]",
        name: "搜索",
        fields: [{ field: "url", from: "https://a.example/", to: "https://b.example/" }],
      },
      { kind: "added", path: "button[1]", name: "位置" },
      { kind: "removed", path: "button[0]", name: "今日" },
    ]);
  });
});
