import { randomBytes } from "node:crypto";
import { wechatErrmsg, type MockCall, type MockWeChatApi } from "../mock-wechat-api";

// WeChat's custom-menu APIs over the mock, in their real JSON shapes:
//  - menu/create checks the shape as WeChat does and answers the first error's errcode
//    (40016–40020 top level, 40022–40027 in a sub-menu). Written apart from lib/menu's validator
//    on purpose: a test where both agree proves something only if they are two readings of the rules.
//  - menu/get: {menu: {button, menuid}, conditionalmenu: [{button, matchrule, menuid}]}, leaves
//    with "sub_button": [] as WeChat returns them; 46003 when there is no menu.
//  - get_current_selfmenu_info: the menu followers see. Until an API menu exists, the one set in
//    the MP admin's editor (setPlatformMenu), with its platform-only types (text, img, voice,
//    video, news with news_info) and their `value`s; callable by every account, as at WeChat.
//  - addconditional (65320 for the removed sex/country/… criteria, 65303 without a default
//    menu), delconditional (65301 for an unknown menuid), trymatch (by the follower's tags),
//    tags/get.
//  - 48001 on every menu API for an app marked without it (an unverified 订阅号).

export const MENU_PATHS = {
  create: "/cgi-bin/menu/create",
  get: "/cgi-bin/menu/get",
  delete: "/cgi-bin/menu/delete",
  current: "/cgi-bin/get_current_selfmenu_info",
  addConditional: "/cgi-bin/menu/addconditional",
  delConditional: "/cgi-bin/menu/delconditional",
  tryMatch: "/cgi-bin/menu/trymatch",
  tags: "/cgi-bin/tags/get",
} as const;

type Button = Record<string, unknown> & { sub_button?: Button[] };
type Conditional = { menuid: string; button: Button[]; matchrule: Record<string, unknown> };
/** A button of get_current_selfmenu_info's answer, e.g. {type: "text", name, value} or {name, sub_button: {list}}. */
export type SelfMenuButton = Record<string, unknown>;

type AppMenus = {
  menu: { button: Button[]; menuid: string } | null;
  conditional: Conditional[];
  platform: SelfMenuButton[] | null;
  noMenuApi: boolean;
  tags: Array<{ id: number; name: string; count: number }>;
  followerTags: Map<string, number[]>;
};

const TYPES = [
  "click",
  "view",
  "miniprogram",
  "scancode_push",
  "scancode_waitmsg",
  "pic_sysphoto",
  "pic_photo_or_album",
  "pic_weixin",
  "location_select",
  "article_id",
  "article_view_limited",
  // Deprecated, still accepted by WeChat.
  "media_id",
  "view_limited",
];
const REMOVED_CRITERIA = ["sex", "country", "province", "city", "language"];

const rid = () => randomBytes(4).toString("hex");
const err = (errcode: number, errmsg?: string) => ({ errcode, errmsg: errmsg ? `${errmsg} rid: ${rid()}` : wechatErrmsg(errcode) });
const ok = () => ({ errcode: 0, errmsg: "ok" });
const bytes = (v: unknown) => Buffer.byteLength(typeof v === "string" ? v : "", "utf8");
const MENU_ERRMSG: Record<number, string> = {
  40016: "invalid button size",
  40017: "invalid button type",
  40018: "invalid button name size",
  40019: "invalid button key size",
  40020: "invalid button url size",
  40022: "invalid sub_menu level",
  40023: "invalid sub button size",
  40024: "invalid sub button type",
  40025: "invalid sub button name size",
  40026: "invalid sub button key size",
  40027: "invalid sub button url size",
};

/** The errcode WeChat answers for this menu's shape, 0 when it takes it. */
function shapeError(button: unknown): number {
  if (!Array.isArray(button) || button.length < 1 || button.length > 3) return 40016;
  for (const b of button as Button[]) {
    if (typeof b !== "object" || b === null) return 40017;
    const subs = b.sub_button;
    if (Array.isArray(subs) && subs.length > 0) {
      if (bytes(b.name) < 1 || bytes(b.name) > 16) return 40018;
      if (subs.length > 5) return 40023;
      for (const s of subs) {
        if (Array.isArray(s.sub_button) && s.sub_button.length) return 40022;
        const e = leafError(s, { type: 40024, name: 40025, nameMax: 60, key: 40026, url: 40027 });
        if (e) return e;
      }
      continue;
    }
    if (Array.isArray(subs) && b.type === undefined) return 40023;
    const e = leafError(b, { type: 40017, name: 40018, nameMax: 16, key: 40019, url: 40020 });
    if (e) return e;
  }
  return 0;
}

function leafError(b: Button, c: { type: number; name: number; nameMax: number; key: number; url: number }): number {
  if (bytes(b.name) < 1 || bytes(b.name) > c.nameMax) return c.name;
  const type = String(b.type ?? "");
  if (!TYPES.includes(type)) return c.type;
  const keyed = ["click", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin", "location_select"].includes(type);
  if (keyed && (bytes(b.key) < 1 || bytes(b.key) > 128)) return c.key;
  if (type === "view" || type === "miniprogram") {
    const url = typeof b.url === "string" ? b.url : "";
    if (bytes(url) < 1 || bytes(url) > 1024 || !/^https?:\/\//i.test(url)) return c.url;
  }
  if (type === "miniprogram" && (!b.appid || !b.pagepath)) return c.type;
  if ((type === "article_id" || type === "article_view_limited") && !b.article_id) return c.type;
  return 0;
}

// menu/get gives every leaf an empty sub_button, and a parent's leaves too.
const asStored = (button: Button[]): Button[] =>
  button.map((b) =>
    Array.isArray(b.sub_button) && b.sub_button.length ? { ...b, sub_button: b.sub_button.map((s) => ({ ...s, sub_button: [] })) } : { ...b, sub_button: [] },
  );

// get_current_selfmenu_info writes a parent's leaves under sub_button.list.
const asSelfMenu = (button: Button[]): SelfMenuButton[] =>
  button.map((b) => {
    const { sub_button: subs, ...rest } = b;
    return Array.isArray(subs) && subs.length ? { name: b.name, sub_button: { list: subs.map(({ sub_button: _s, ...leaf }) => leaf) } } : rest;
  });

let menuIds = 400_000_000;

export function installMenuApis(mock: MockWeChatApi) {
  const apps = new Map<string, AppMenus>();
  const app = (appId: string): AppMenus => {
    let a = apps.get(appId);
    if (!a) apps.set(appId, (a = { menu: null, conditional: [], platform: null, noMenuApi: false, tags: [], followerTags: new Map() }));
    return a;
  };
  const guarded = (handler: (a: AppMenus, call: MockCall) => object) => (call: MockCall) => {
    const a = app(call.appId);
    return a.noMenuApi ? err(48001) : handler(a, call);
  };

  mock.route(
    MENU_PATHS.create,
    guarded((a, call) => {
      const e = shapeError(call.params.button);
      if (e) return err(e, MENU_ERRMSG[e]);
      a.menu = { button: structuredClone(call.params.button as Button[]), menuid: String(++menuIds) };
      return ok();
    }),
  );
  mock.route(
    MENU_PATHS.get,
    guarded((a) => {
      if (!a.menu) return err(46003, "menu no exist");
      return {
        menu: { button: asStored(a.menu.button), menuid: a.menu.menuid },
        ...(a.conditional.length
          ? { conditionalmenu: a.conditional.map((c) => ({ button: asStored(c.button), matchrule: c.matchrule, menuid: c.menuid })) }
          : {}),
      };
    }),
  );
  mock.route(
    MENU_PATHS.delete,
    guarded((a) => {
      a.menu = null;
      a.conditional = [];
      return ok();
    }),
  );
  // Every account may read what its followers see, the unverified 订阅号 included.
  mock.route(MENU_PATHS.current, (call) => {
    const a = app(call.appId);
    if (a.menu) return { is_menu_open: 1, selfmenu_info: { button: asSelfMenu(a.menu.button) } };
    if (a.platform) return { is_menu_open: 1, selfmenu_info: { button: a.platform } };
    return { is_menu_open: 0 };
  });
  mock.route(
    MENU_PATHS.addConditional,
    guarded((a, call) => {
      const rule = call.params.matchrule as Record<string, unknown> | undefined;
      if (!rule || typeof rule !== "object" || !Object.values(rule).some((v) => v !== undefined && v !== "")) return err(65304, "match rule empty");
      if (REMOVED_CRITERIA.some((k) => rule[k] !== undefined && rule[k] !== ""))
        return err(65320, "invalid matchrule: only tag_id and client_platform_type are supported");
      if (!a.menu) return err(65303, "there is no selfmenu, please create selfmenu first");
      const e = shapeError(call.params.button);
      if (e) return err(e, MENU_ERRMSG[e]);
      if (rule.tag_id !== undefined && !a.tags.some((t) => String(t.id) === String(rule.tag_id))) return err(40099, "invalid tag id");
      const menuid = String(++menuIds);
      a.conditional.push({ menuid, button: structuredClone(call.params.button as Button[]), matchrule: structuredClone(rule) });
      return { menuid };
    }),
  );
  mock.route(
    MENU_PATHS.delConditional,
    guarded((a, call) => {
      const i = a.conditional.findIndex((c) => c.menuid === String(call.params.menuid ?? ""));
      if (i < 0) return err(65301, "menuid not exist");
      a.conditional.splice(i, 1);
      return ok();
    }),
  );
  mock.route(
    MENU_PATHS.tryMatch,
    guarded((a, call) => {
      const user = String(call.params.user_id ?? "");
      const tags = a.followerTags.get(user);
      if (!tags) return err(65302, "no such user");
      if (!a.menu) return err(46003, "menu no exist");
      // The newest conditional menu whose tag the follower has wins, else the default menu.
      const match = [...a.conditional].reverse().find((c) => c.matchrule.tag_id !== undefined && tags.includes(Number(c.matchrule.tag_id)));
      return { button: asStored((match ?? a.menu).button) };
    }),
  );
  mock.route(MENU_PATHS.tags, (call) => ({ tags: app(call.appId).tags }));

  return {
    /** The menu built in the MP admin's editor, as get_current_selfmenu_info returns it, shown until an API menu is created. */
    setPlatformMenu(appId: string, button: SelfMenuButton[]) {
      app(appId).platform = button;
    },
    /** As an unverified 订阅号: every menu API answers 48001 (reading the current menu still works). */
    withoutMenuApi(appId: string, without = true) {
      app(appId).noMenuApi = without;
    },
    setTags(appId: string, tags: Array<{ id: number; name: string; count?: number }>) {
      app(appId).tags = tags.map((t) => ({ id: t.id, name: t.name, count: t.count ?? 0 }));
    },
    /** A follower and the ids of the tags they have, for trymatch. */
    setFollower(appId: string, openId: string, tagIds: number[]) {
      app(appId).followerTags.set(openId, tagIds);
    },
    /** The menu WeChat holds now (as created), or null. */
    menu(appId: string): Button[] | null {
      return app(appId).menu?.button ?? null;
    },
    conditional(appId: string): Conditional[] {
      return app(appId).conditional;
    },
  };
}
