// What keyword matching compares: "  ＨＥＬＬＯ " and "hello" are the same keyword. NFKC folds
// full-width forms (Ａ１！, the ideographic space) into their half-width ones; only Latin letters
// are lower-cased, so other scripts compare exactly as typed.

const LATIN = /\p{Script=Latin}+/gu;

export function normalizeForMatch(text: string): string {
  return text
    .normalize("NFKC")
    .trim()
    .replace(LATIN, (s) => s.toLowerCase());
}
