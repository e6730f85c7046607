// Indents WeChat's XML for reading, keeping every character of text and CDATA as it was
// (CDATA content can hold "<", newlines and "]]>" split across sections). Not a validator:
// whatever it does not recognise is passed through unchanged.
//
// The input is a follower's (or an attacker's) bytes, so the work and the output are linear in
// it: comments are one token (tags inside them once each opened a level), indentation stops
// growing at MAX_INDENT_DEPTH, and output that would still exceed a small multiple of the input
// gives way to the input itself.

type Token = { kind: "open" | "close" | "self" | "text" | "cdata" | "other"; raw: string };

/** Above this size the console shows the stored text as it is, with a download, not indented. */
export const PRETTY_XML_MAX_BYTES = 64 * 1024;
/** Whether the console indents this document, or shows it as stored with a download. */
export function fitsPrettyXml(xml: string): boolean {
  return Buffer.byteLength(xml, "utf8") <= PRETTY_XML_MAX_BYTES;
}

/** WeChat's deepest messages nest 5 levels; deeper elements are all drawn at this depth. */
export const MAX_INDENT_DEPTH = 12;

function tokenize(xml: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const until = (close: string, from: number) => {
    const end = xml.indexOf(close, from);
    return end === -1 ? xml.length : end + close.length;
  };
  while (i < xml.length) {
    let stop: number;
    let kind: Token["kind"];
    if (xml.startsWith("<![CDATA[", i)) {
      stop = until("]]>", i + 9);
      kind = "cdata";
    } else if (xml.startsWith("<!--", i)) {
      stop = until("-->", i + 4);
      kind = "other";
    } else if (xml[i] === "<") {
      stop = until(">", i);
      const raw = xml.slice(i, stop);
      kind = raw.startsWith("</") ? "close" : raw.startsWith("<?") || raw.startsWith("<!") ? "other" : raw.endsWith("/>") ? "self" : "open";
    } else {
      const next = xml.indexOf("<", i);
      stop = next === -1 ? xml.length : next;
      kind = "text";
    }
    tokens.push({ kind, raw: xml.slice(i, stop) });
    i = stop;
  }
  return tokens;
}

export function prettyXml(xml: string, indent = "  "): string {
  const source = xml.trim();
  const tokens = tokenize(source);
  const budget = 3 * source.length + 1024;
  const lines: string[] = [];
  let size = 0;
  let depth = 0;
  const push = (level: number, text: string) => {
    const line = indent.repeat(Math.min(level, MAX_INDENT_DEPTH)) + text;
    size += line.length + 1;
    lines.push(line);
  };
  for (let i = 0; i < tokens.length; i++) {
    if (size > budget) return source;
    const tok = tokens[i]!;
    if (tok.kind === "open") {
      // <Tag>text-or-cdata…</Tag> stays on one line.
      let j = i + 1;
      while (j < tokens.length && (tokens[j]!.kind === "text" || tokens[j]!.kind === "cdata")) j++;
      if (tokens[j]?.kind === "close") {
        push(
          depth,
          tokens
            .slice(i, j + 1)
            .map((t) => t.raw)
            .join(""),
        );
        i = j;
        continue;
      }
      push(depth, tok.raw);
      depth++;
    } else if (tok.kind === "close") {
      depth = Math.max(0, depth - 1);
      push(depth, tok.raw);
    } else if (tok.kind === "text") {
      if (tok.raw.trim()) push(depth, tok.raw.trim());
    } else {
      push(depth, tok.raw);
    }
  }
  return size > budget ? source : lines.join("\n");
}
