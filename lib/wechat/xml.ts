import { XMLParser, XMLValidator } from "fast-xml-parser";
import { protocolError } from "./errors";
import { parseFlatWeChatXml } from "./xml-flat";

/**
 * Deepest element nesting accepted, counting <xml> itself. WeChat's deepest
 * messages (pic_sysphoto: xml > SendPicsInfo > PicList > item > PicMd5Sum)
 * need 5; the bound keeps hostile input from recursing far.
 */
export const MAX_XML_DEPTH = 8;

export type WeChatXmlValue = string | WeChatXml | WeChatXmlValue[];
export type WeChatXml = { [name: string]: WeChatXmlValue };

/** What buildXml accepts: numbers are written bare, strings as CDATA, undefined is skipped. */
export type XmlBuildValue = string | number | XmlBuildTree | readonly XmlBuildValue[];
export type XmlBuildTree = { readonly [name: string]: XmlBuildValue | undefined };

// One instance for the process: building options is not free and this runs
// on every inbound message.
const parser = new XMLParser({
  // Keep every value a string: MsgId exceeds 2^53 and must not pass through a number.
  parseTagValue: false,
  parseAttributeValue: false,
  // Never expand entities (XXE, billion laughs). WeChat puts text in CDATA, so
  // an entity in plain text (&lt;) is returned exactly as written.
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Trims only whitespace *around* elements and CDATA sections; CDATA content
  // itself is returned untouched. With false, indentation between elements
  // would leak into the tree as "#text" nodes.
  trimValues: true,
  // The parser counts ancestors of the element being opened, <xml> excluded.
  maxNestedTags: MAX_XML_DEPTH - 1,
  // The default renames tags such as <toString> to "__toString"; we copy into
  // null-prototype objects, so the real name is safe to keep.
  // (__proto__, constructor and prototype are still refused by the parser.)
  onDangerousProperty: (name: string) => name,
});

const DECLARATION = /<!(?:doctype|entity)/i;
const CDATA_OPEN = "<![CDATA[";
const CDATA_CLOSE = "]]>";
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses a WeChat message body (or a decrypted Encrypt payload) into the
 * children of its <xml> root. Every leaf is a string, repeated elements become
 * arrays, empty elements are "", and unknown elements are kept. Objects have a
 * null prototype, so a lookup like msg["constructor"] is undefined rather than
 * something inherited.
 */
export function parseWeChatXml(body: string): WeChatXml {
  if (typeof body !== "string") throw protocolError("bad_xml", "body is not a string");
  refuseDeclarations(body);
  return parseFlatWeChatXml(body) ?? parseValidatedXml(body);
}

/** The full validating parse alone, without the flat fast path (tests compare the two). */
export function parseGeneralXml(body: string): WeChatXml {
  if (typeof body !== "string") throw protocolError("bad_xml", "body is not a string");
  refuseDeclarations(body);
  return parseValidatedXml(body);
}

/** Validates and parses a body already checked for declarations. */
function parseValidatedXml(body: string): WeChatXml {
  const { xml, crSentinel } = protectCarriageReturns(body);
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw protocolError("bad_xml", `${msg} (line ${line}${col === undefined ? "" : `, col ${col}`})`);
  }

  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (err) {
    throw protocolError("bad_xml", err instanceof Error ? err.message : String(err));
  }

  const top = parsed as Record<string, unknown>;
  const names = Object.keys(top);
  if (names.length !== 1 || names[0] !== "xml") {
    throw protocolError("bad_xml", `root element must be a single <xml>, found ${names.join(", ") || "none"}`);
  }
  const root = top.xml;
  // <xml></xml> and <xml/> come back as "".
  if (root === "") return Object.create(null) as WeChatXml;
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw protocolError("bad_xml", "<xml> must contain elements");
  }
  return copyTree(root, crSentinel) as WeChatXml;
}

/**
 * Serialises a reply. Strings go in CDATA (split where they contain "]]>"),
 * numbers are bare, arrays repeat the element, undefined is left out.
 */
export function buildXml(root: XmlBuildTree): string {
  return `<xml>${buildChildren(root, 1)}</xml>`;
}

/**
 * A DOCTYPE is the door to XXE and entity-expansion attacks and WeChat never
 * sends one, so any markup declaration is refused before the parser sees it.
 * Text that merely looks like one is fine inside CDATA (a user pasting HTML
 * must not lose their message), but only when our idea of where CDATA
 * sections are provably matches the parser's: no comments, processing
 * instructions or quoted attributes, which could hide a "<![CDATA[" from it.
 */
function refuseDeclarations(body: string): void {
  // WeChat bodies never contain this text; skip the scan on the hot path.
  if (!DECLARATION.test(body)) return;

  let i = 0;
  for (;;) {
    const lt = body.indexOf("<", i);
    if (lt === -1) return;
    if (body.startsWith(CDATA_OPEN, lt)) {
      const end = body.indexOf(CDATA_CLOSE, lt + CDATA_OPEN.length);
      if (end === -1) throw protocolError("doctype", "markup declaration in unterminated CDATA");
      i = end + CDATA_CLOSE.length;
      continue;
    }
    const next = body[lt + 1];
    if (next === "!" || next === "?") {
      throw protocolError("doctype", "DOCTYPE / ENTITY declarations are not accepted");
    }
    const gt = body.indexOf(">", lt);
    if (gt === -1 || /["']/.test(body.slice(lt, gt))) {
      throw protocolError("doctype", "DOCTYPE / ENTITY declarations are not accepted");
    }
    i = gt + 1;
  }
}

/**
 * XML parsers must turn CR and CRLF into LF everywhere, CDATA included, but
 * message text should be stored byte-exact. CRs inside CDATA are swapped for
 * a character absent from the body and swapped back after parsing.
 * Linear scans only: the body is attacker-controlled.
 */
function protectCarriageReturns(body: string): { xml: string; crSentinel: string | null } {
  if (!body.includes("\r")) return { xml: body, crSentinel: null };
  const crSentinel = findUnusedPrivateUseChar(body);
  // Every private-use character present: not a real message; accept normalised line ends.
  if (crSentinel === null) return { xml: body, crSentinel: null };

  let xml = "";
  let i = 0;
  for (;;) {
    const open = body.indexOf(CDATA_OPEN, i);
    if (open === -1) break;
    const close = body.indexOf(CDATA_CLOSE, open + CDATA_OPEN.length);
    // Unterminated: the validator rejects the body anyway.
    if (close === -1) break;
    xml += body.slice(i, open) + body.slice(open, close).replaceAll("\r", crSentinel);
    i = close;
  }
  return { xml: xml + body.slice(i), crSentinel };
}

const PRIVATE_USE_FIRST = 0xe000;
const PRIVATE_USE_LAST = 0xf8ff;

function findUnusedPrivateUseChar(body: string): string | null {
  const used = new Uint8Array(PRIVATE_USE_LAST - PRIVATE_USE_FIRST + 1);
  for (let k = 0; k < body.length; k++) {
    const code = body.charCodeAt(k);
    if (code >= PRIVATE_USE_FIRST && code <= PRIVATE_USE_LAST) used[code - PRIVATE_USE_FIRST] = 1;
  }
  const free = used.indexOf(0);
  return free === -1 ? null : String.fromCharCode(PRIVATE_USE_FIRST + free);
}

function copyTree(node: unknown, crSentinel: string | null): WeChatXmlValue {
  if (typeof node === "string") {
    return crSentinel === null ? node : node.replaceAll(crSentinel, "\r");
  }
  if (Array.isArray(node)) return node.map((item) => copyTree(item, crSentinel));
  if (typeof node === "object" && node !== null) {
    const out = Object.create(null) as WeChatXml;
    for (const [name, value] of Object.entries(node)) {
      // The parser refuses these names already; this guards against a
      // future version that does not.
      if (FORBIDDEN_KEYS.has(name)) throw protocolError("bad_xml", `element name <${name}> not allowed`);
      out[name] = copyTree(value, crSentinel);
    }
    return out;
  }
  // Only reachable if parseTagValue were switched on (numbers, booleans).
  throw protocolError("bad_xml", `unexpected ${typeof node} value in parsed XML`);
}

function buildChildren(tree: XmlBuildTree, parentDepth: number): string {
  const depth = parentDepth + 1;
  let out = "";
  for (const [name, value] of Object.entries(tree)) {
    if (value === undefined) continue;
    if (!ELEMENT_NAME.test(name)) throw new TypeError(`invalid XML element name: ${JSON.stringify(name)}`);
    // Replies deeper than the parser accepts would be refused by our own tests and tools.
    if (depth > MAX_XML_DEPTH) throw new RangeError(`XML nested deeper than ${MAX_XML_DEPTH} levels`);
    const items: readonly XmlBuildValue[] = Array.isArray(value) ? (value as readonly XmlBuildValue[]) : [value as XmlBuildValue];
    for (const item of items) out += `<${name}>${buildValue(item, depth)}</${name}>`;
  }
  return out;
}

function buildValue(value: XmlBuildValue, depth: number): string {
  if (typeof value === "string") return wrapCdata(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} into XML`);
    return String(value);
  }
  if (Array.isArray(value)) throw new TypeError("nested arrays have no XML form");
  if (typeof value === "object" && value !== null) return buildChildren(value as XmlBuildTree, depth);
  throw new TypeError(`cannot write a ${typeof value} into XML`);
}

// "]]>" would end the section early and break the reply (a bug node-webot
// shipped); close the section between "]]" and ">" and reopen it.
function wrapCdata(text: string): string {
  return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}
