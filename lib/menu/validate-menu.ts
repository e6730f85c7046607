// WeChat's rules for POST /cgi-bin/menu/create, counted as WeChat counts them, so that nothing
// invalid is ever sent: the editor checks while typing, the CLI before calling. No Node APIs here:
// the browser bundle imports this module as it is.
//
// Lengths are UTF-8 bytes (one Chinese character is 3 bytes, most emoji 4). Paths are 0-based
// like the JSON's arrays: button[1].sub_button[2].name is the third entry under the second button.

export const MENU_TYPES = [
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
] as const;
export type MenuType = (typeof MENU_TYPES)[number];

/** Types whose event carries the button's key (EventKey), so key is required. */
export const KEYED_TYPES: readonly MenuType[] = [
  "click",
  "scancode_push",
  "scancode_waitmsg",
  "pic_sysphoto",
  "pic_photo_or_album",
  "pic_weixin",
  "location_select",
];

export const MENU_LIMITS = { topButtons: 3, subButtons: 5, topName: 16, subName: 60, key: 128, url: 1024 } as const;

/** One button of menu/create's JSON. A top-level button has either a type or sub_button. */
export type MenuButton = {
  type?: string;
  name?: string;
  key?: string;
  url?: string;
  appid?: string;
  pagepath?: string;
  article_id?: string;
  sub_button?: MenuButton[];
};
export type MenuDocument = { button: MenuButton[] };

export type MenuProblemCode =
  | "not_a_menu"
  | "button_count"
  | "sub_button_count"
  | "sub_menu_level"
  | "type_invalid"
  | "name_missing"
  | "name_too_long"
  | "key_missing"
  | "key_too_long"
  | "key_duplicate"
  | "url_missing"
  | "url_too_long"
  | "url_scheme"
  | "appid_missing"
  | "pagepath_missing"
  | "article_id_missing";

export type MenuProblem = {
  /** Where, e.g. button[1].sub_button[2].name; "button" for the list itself. */
  path: string;
  code: MenuProblemCode;
  /** What WeChat would answer for it (40016–40020 top level, 40022–40027 in a sub-menu). */
  errcode: number;
  /** For code that prints it (the CLI); the console words it from `code` in its own language. */
  message: string;
  /** The limit and what was counted, for the length codes. */
  limit?: number;
  actual?: number;
};

/** UTF-8 length without TextEncoder's allocation: a surrogate pair is one 4-byte character. */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// WeChat's errcodes per level: the sub-menu variant of each top-level one.
const ERRCODES = {
  top: { count: 40016, type: 40017, name: 40018, key: 40019, url: 40020 },
  sub: { count: 40023, type: 40024, name: 40025, key: 40026, url: 40027 },
} as const;
const SUB_MENU_LEVEL = 40022;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Every problem of the document, in reading order; an empty list means WeChat accepts its shape. */
export function validateMenu(doc: unknown): MenuProblem[] {
  const problems: MenuProblem[] = [];
  if (!isObject(doc) || !Array.isArray(doc.button)) {
    return [{ path: "button", code: "not_a_menu", errcode: ERRCODES.top.count, message: 'the menu must be an object {"button": [...]}' }];
  }
  const buttons = doc.button as unknown[];
  if (buttons.length < 1 || buttons.length > MENU_LIMITS.topButtons) {
    problems.push({
      path: "button",
      code: "button_count",
      errcode: ERRCODES.top.count,
      message: `1 to ${MENU_LIMITS.topButtons} top-level buttons, not ${buttons.length}`,
      limit: MENU_LIMITS.topButtons,
      actual: buttons.length,
    });
  }
  const keys = new Map<string, string>();
  buttons.forEach((b, i) => {
    const path = `button[${i}]`;
    if (!isObject(b)) {
      problems.push({ path, code: "type_invalid", errcode: ERRCODES.top.type, message: "a button must be an object" });
      return;
    }
    if (b.sub_button !== undefined && !(Array.isArray(b.sub_button) && b.sub_button.length === 0 && b.type !== undefined)) {
      // A parent: its name (16 bytes), 1–5 leaves, no deeper level. WeChat ignores a parent's type.
      checkName(problems, path, b.name, "top");
      if (!Array.isArray(b.sub_button) || b.sub_button.length < 1 || b.sub_button.length > MENU_LIMITS.subButtons) {
        const n = Array.isArray(b.sub_button) ? b.sub_button.length : 0;
        problems.push({
          path: `${path}.sub_button`,
          code: "sub_button_count",
          errcode: ERRCODES.sub.count,
          message: `1 to ${MENU_LIMITS.subButtons} sub-buttons, not ${n}`,
          limit: MENU_LIMITS.subButtons,
          actual: n,
        });
      }
      if (!Array.isArray(b.sub_button)) return;
      b.sub_button.forEach((s, j) => {
        const subPath = `${path}.sub_button[${j}]`;
        if (!isObject(s)) {
          problems.push({ path: subPath, code: "type_invalid", errcode: ERRCODES.sub.type, message: "a button must be an object" });
          return;
        }
        if (s.sub_button !== undefined && !(Array.isArray(s.sub_button) && s.sub_button.length === 0)) {
          problems.push({ path: `${subPath}.sub_button`, code: "sub_menu_level", errcode: SUB_MENU_LEVEL, message: "menus have two levels only" });
        }
        checkLeaf(problems, subPath, s, "sub", keys);
      });
      return;
    }
    checkLeaf(problems, path, b, "top", keys);
  });
  return problems;
}

/** validateMenu's answer as a type guard. */
export function isValidMenu(doc: unknown): doc is MenuDocument {
  return validateMenu(doc).length === 0;
}

function checkName(problems: MenuProblem[], path: string, name: unknown, level: "top" | "sub") {
  const limit = level === "top" ? MENU_LIMITS.topName : MENU_LIMITS.subName;
  const value = text(name);
  if (!value) {
    problems.push({ path: `${path}.name`, code: "name_missing", errcode: ERRCODES[level].name, message: "a name is required" });
    return;
  }
  const bytes = utf8Bytes(value);
  if (bytes > limit)
    problems.push({
      path: `${path}.name`,
      code: "name_too_long",
      errcode: ERRCODES[level].name,
      message: `${bytes} bytes; at most ${limit} (UTF-8: a Chinese character is 3 bytes)`,
      limit,
      actual: bytes,
    });
}

function checkLeaf(problems: MenuProblem[], path: string, b: Record<string, unknown>, level: "top" | "sub", keys: Map<string, string>) {
  const codes = ERRCODES[level];
  checkName(problems, path, b.name, level);
  const type = text(b.type);
  if (!type || !(MENU_TYPES as readonly string[]).includes(type)) {
    problems.push({
      path: `${path}.type`,
      code: "type_invalid",
      errcode: codes.type,
      message: type ? `unknown type "${type}"; one of ${MENU_TYPES.join(", ")}` : "a type is required (or sub_button)",
    });
    return;
  }
  const t = type as MenuType;
  if (KEYED_TYPES.includes(t)) {
    const key = text(b.key);
    if (!key) problems.push({ path: `${path}.key`, code: "key_missing", errcode: codes.key, message: `a ${t} button needs a key` });
    else {
      const bytes = utf8Bytes(key);
      if (bytes > MENU_LIMITS.key)
        problems.push({
          path: `${path}.key`,
          code: "key_too_long",
          errcode: codes.key,
          message: `${bytes} bytes; at most ${MENU_LIMITS.key}`,
          limit: MENU_LIMITS.key,
          actual: bytes,
        });
      const first = keys.get(key);
      // Two buttons with one key send the same EventKey: their taps could not be told apart.
      if (first) problems.push({ path: `${path}.key`, code: "key_duplicate", errcode: codes.key, message: `the key "${key}" is already used by ${first}` });
      else keys.set(key, path);
    }
  }
  if (t === "view" || t === "miniprogram") checkUrl(problems, `${path}.url`, b.url, codes.url);
  if (t === "miniprogram") {
    if (!text(b.appid))
      problems.push({ path: `${path}.appid`, code: "appid_missing", errcode: codes.type, message: "a miniprogram button needs the mini program's appid" });
    if (!text(b.pagepath))
      problems.push({ path: `${path}.pagepath`, code: "pagepath_missing", errcode: codes.type, message: "a miniprogram button needs a pagepath" });
  }
  if ((t === "article_id" || t === "article_view_limited") && !text(b.article_id))
    problems.push({ path: `${path}.article_id`, code: "article_id_missing", errcode: codes.type, message: `an ${t} button needs an article_id` });
}

function checkUrl(problems: MenuProblem[], path: string, url: unknown, errcode: number) {
  const value = text(url);
  if (!value) {
    problems.push({ path, code: "url_missing", errcode, message: "a url is required" });
    return;
  }
  const bytes = utf8Bytes(value);
  if (bytes > MENU_LIMITS.url)
    problems.push({ path, code: "url_too_long", errcode, message: `${bytes} bytes; at most ${MENU_LIMITS.url}`, limit: MENU_LIMITS.url, actual: bytes });
  if (!/^https?:\/\/[^\s/?#]+/i.test(value))
    problems.push({ path, code: "url_scheme", errcode, message: "the url must start with http:// or https:// and name a host" });
}

/** One line per problem, as the CLI prints them. */
export function formatMenuProblems(problems: readonly MenuProblem[]): string[] {
  return problems.map((p) => `${p.path}: ${p.message} (WeChat ${p.errcode}, ${p.code})`);
}
