// Indents WeChat's XML for reading, keeping every character of text and CDATA as it was
// (CDATA content can hold "<", newlines and "]]>" split across sections). Not a validator:
// whatever it does not recognise is passed through unchanged.

type Token = { kind: "open" | "close" | "self" | "text" | "cdata" | "other"; raw: string };

function tokenize(xml: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < xml.length) {
    if (xml.startsWith("<![CDATA[", i)) {
      const end = xml.indexOf("]]>", i + 9);
      const stop = end === -1 ? xml.length : end + 3;
      tokens.push({ kind: "cdata", raw: xml.slice(i, stop) });
      i = stop;
    } else if (xml[i] === "<") {
      const end = xml.indexOf(">", i);
      const stop = end === -1 ? xml.length : end + 1;
      const raw = xml.slice(i, stop);
      const kind = raw.startsWith("</") ? "close" : raw.startsWith("<?") || raw.startsWith("<!") ? "other" : raw.endsWith("/>") ? "self" : "open";
      tokens.push({ kind, raw });
      i = stop;
    } else {
      const next = xml.indexOf("<", i);
      const stop = next === -1 ? xml.length : next;
      tokens.push({ kind: "text", raw: xml.slice(i, stop) });
      i = stop;
    }
  }
  return tokens;
}

export function prettyXml(xml: string, indent = "  "): string {
  const tokens = tokenize(xml.trim());
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const pad = indent.repeat(depth);
    if (tok.kind === "open") {
      // <Tag>text-or-cdata…</Tag> stays on one line.
      let j = i + 1;
      while (j < tokens.length && (tokens[j]!.kind === "text" || tokens[j]!.kind === "cdata")) j++;
      if (tokens[j]?.kind === "close") {
        lines.push(pad + tokens.slice(i, j + 1).map((t) => t.raw).join(""));
        i = j;
        continue;
      }
      lines.push(pad + tok.raw);
      depth++;
    } else if (tok.kind === "close") {
      depth = Math.max(0, depth - 1);
      lines.push(indent.repeat(depth) + tok.raw);
    } else if (tok.kind === "text") {
      if (tok.raw.trim()) lines.push(pad + tok.raw.trim());
    } else {
      lines.push(pad + tok.raw);
    }
  }
  return lines.join("\n");
}
