import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFlatWeChatXml } from "../../lib/wechat/xml-flat";
import { parseGeneralXml } from "../../lib/wechat/xml";
import { messageCatalog } from "../helpers/message-catalog";
import { messageXml } from "../helpers/wechat-simulator";

// The flat fast path must never disagree with the general parser: wherever it accepts a body,
// the result is identical; wherever the general parser refuses one, it declines.

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

function general(body: string): unknown {
  try {
    return plain(parseGeneralXml(body));
  } catch {
    return "refused";
  }
}

test("every flat message of the catalogue takes the fast path and parses identically", () => {
  let flatCount = 0;
  for (const { name, fields } of messageCatalog()) {
    const body = messageXml(fields);
    const fast = parseFlatWeChatXml(body);
    if (fast) flatCount++;
    else assert.ok(Object.values(fields).some((v) => typeof v === "object") || String(fields.Content ?? "").includes("\r"), `${name} should be flat`);
    if (fast) assert.deepEqual(plain(fast), general(body), name);
  }
  assert.ok(flatCount >= 15, `fast path used for ${flatCount} messages`);
});

test("the result has a null prototype like the general parser's", () => {
  const fast = parseFlatWeChatXml("<xml><A>1</A></xml>")!;
  assert.equal(Object.getPrototypeOf(fast), null);
});

test("declines what it does not fully understand", () => {
  for (const body of [
    "<xml><A>1</A><A>2</A></xml>", // repeated → array
    "<xml><A><B>1</B></A></xml>", // nested
    '<xml><A x="1">1</A></xml>', // attribute
    "<xml><A/></xml>",
    "<xml><!-- c --><A>1</A></xml>",
    '<?xml version="1.0"?><xml><A>1</A></xml>',
    "<xml><A>a &amp; b</A></xml>",
    "<xml><A><![CDATA[a\r\nb]]></A></xml>",
    "<xml><A> <![CDATA[x]]></A></xml>",
    "<xml><A> 1</A></xml>",
    "<xml><A>1</B></xml>",
    "<xml><A>1</A>",
    "<xml><A><![CDATA[x]]></A></xml>trailing",
    "<xml><__proto__>1</__proto__></xml>",
    "<xml><A>\u0001</A></xml>",
  ]) {
    assert.equal(parseFlatWeChatXml(body), null, body);
  }
});

test("randomised bodies: the fast path agrees with the general parser whenever it accepts", () => {
  const alphabet = [
    "a",
    "Z",
    "0",
    "9",
    " ",
    "\t",
    "\n",
    "\r",
    "<",
    ">",
    "&",
    "]",
    "]]>",
    "<![CDATA[",
    "[",
    "/",
    "你",
    "😀",
    "\u0001",
    "\u0000",
    "=",
    '"',
    "'",
    "</xml>",
    "<A>",
    "</A>",
  ];
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const piece = () => Array.from({ length: rand(6) }, () => alphabet[rand(alphabet.length)]).join("");
  let accepted = 0;
  for (let k = 0; k < 5000; k++) {
    const names = ["ToUserName", "Content", "MsgId", "A", "B_1"];
    let body = rand(8) === 0 ? " " : "";
    body += "<xml>";
    for (let e = 0; e < 1 + rand(4); e++) {
      const name = names[rand(names.length)]!;
      body += rand(4) === 0 ? "\n " : "";
      const kind = rand(4);
      const inner = kind === 0 ? `<![CDATA[${piece()}]]>` : kind === 1 ? `<![CDATA[${piece()}]]><![CDATA[${piece()}]]>` : kind === 2 ? piece() : "";
      body += `<${name}>${inner}</${rand(20) === 0 ? "X" : name}>`;
    }
    body += rand(10) === 0 ? "</xml>\n" : "</xml>";
    const fast = parseFlatWeChatXml(body);
    if (fast === null) continue;
    accepted++;
    assert.deepEqual(plain(fast), general(body), JSON.stringify(body));
  }
  assert.ok(accepted > 500, `enough random bodies were accepted to mean something (${accepted})`);
});
