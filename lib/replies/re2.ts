import { RE2 } from "re2-wasm";

// Keyword regexes run on RE2 (linear time: no pattern can make the callback backtrack for
// seconds), compiled to WebAssembly so nothing native is built or downloaded at install.
// Always case-insensitive ("i") and in unicode mode ("u", which RE2 requires).

export type Re2 = RE2;
const FLAGS = "iu";

/** Compiles a pattern, or throws a SyntaxError naming RE2's reason. */
export function compileRe2(pattern: string): Re2 {
  return new RE2(pattern, FLAGS);
}

/** Why RE2 refuses a pattern (look-behind, back-references…), or null when it compiles. */
export function re2Error(pattern: string): string | null {
  try {
    freeRe2(compileRe2(pattern));
    return null;
  } catch (err) {
    // "Invalid regular expression: /…/iu: invalid perl operator: (?<": the reason is after the flags.
    const message = (err as Error).message;
    const at = message.indexOf(`/${FLAGS}: `);
    return at >= 0 ? message.slice(at + FLAGS.length + 3) : message;
  }
}

/** The compiled program lives in the wasm heap, which no garbage collector sees. */
export function freeRe2(re: Re2): void {
  (re as unknown as { wrapper?: { delete?: () => void } }).wrapper?.delete?.();
}
