import type { WeChatXml } from "./xml";

// The shape nearly every WeChat callback body has: <xml> holding leaf elements whose content is
// CDATA or short plain text. Recognising exactly that shape with one linear scan is several
// times cheaper than validating and parsing a general XML document, and this runs on every
// message. Anything outside the shape (nesting, repeated or empty-tag elements, attributes,
// comments, declarations, entities in text, carriage returns, whitespace around CDATA) returns
// null and goes through the general parser, which stays the single authority on what is valid.
// tests/unit/xml-flat.test.ts checks both give identical results wherever this one accepts.

const CDATA_OPEN = "<![CDATA[";
const CDATA_CLOSE = "]]>";
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
// Characters XML 1.0 forbids even inside CDATA (the C0 controls except tab, LF and CR): left
// to the general parser's judgement rather than ours.
const hasOddControlChar = (s: string) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s);

function skipSpace(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9) i++;
    else return i;
  }
}

export function parseFlatWeChatXml(body: string): WeChatXml | null {
  if (body.includes("\r") || hasOddControlChar(body)) return null;
  let i = skipSpace(body, 0);
  if (!body.startsWith("<xml>", i)) return null;
  i += 5;
  const out = Object.create(null) as WeChatXml;
  for (;;) {
    i = skipSpace(body, i);
    if (body.startsWith("</xml>", i)) {
      return skipSpace(body, i + 6) === body.length ? out : null;
    }
    if (body.charCodeAt(i) !== 60 /* < */ || !isNameStart(body.charCodeAt(i + 1))) return null;
    let j = i + 2;
    while (isNameChar(body.charCodeAt(j))) j++;
    if (body.charCodeAt(j) !== 62 /* > */) return null;
    const name = body.slice(i + 1, j);
    if (FORBIDDEN_KEYS.has(name) || name in out) return null;
    i = j + 1;

    let value: string;
    if (body.startsWith(CDATA_OPEN, i)) {
      value = "";
      while (body.startsWith(CDATA_OPEN, i)) {
        const end = body.indexOf(CDATA_CLOSE, i + CDATA_OPEN.length);
        if (end === -1) return null;
        value += body.slice(i + CDATA_OPEN.length, end);
        i = end + CDATA_CLOSE.length;
      }
    } else {
      const lt = body.indexOf("<", i);
      if (lt === -1) return null;
      value = body.slice(i, lt);
      // The general parser trims plain text; leave any whitespace question to it.
      if (value.length === 0 || value !== value.trim() || value.includes(">") || value.includes("&")) return null;
      i = lt;
    }
    if (body.charCodeAt(i) !== 60 || body.charCodeAt(i + 1) !== 47 /* / */ || !body.startsWith(name, i + 2) || body.charCodeAt(i + 2 + name.length) !== 62) {
      return null;
    }
    i += name.length + 3;
    out[name] = value;
  }
}
