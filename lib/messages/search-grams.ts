// The character grams behind content search: every single character and every pair of adjacent
// characters, lower-cased. Chinese has no spaces between words and pg_trgm ignores non-ASCII
// letters in the C locale, so word or trigram indexes cannot find a two-character term like 退款.
//
// Grams are computed here, once, when a message is stored (into message.content_grams, GIN
// indexed) and when a term is searched: computing them in PostgreSQL at insert time tripled the
// cost of every insert on the callback's hot path. mpdesk_search_grams() in the console migration
// is the same definition in SQL, for backfills and bulk seeding; tests check the two agree.

const WHITESPACE_ONLY = /^[ \t\n\r\f\v]+$/;
// PostgreSQL's lower() in the C locale folds ASCII only; so do we, so SQL and JS agree.
const lowerAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

export function contentGrams(content: string): string[] {
  const chars = [...lowerAscii(content)];
  const grams = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    const one = chars[i]!;
    if (!WHITESPACE_ONLY.test(one)) grams.add(one);
    if (i + 1 < chars.length) {
      const two = one + chars[i + 1]!;
      if (!WHITESPACE_ONLY.test(two)) grams.add(two);
    }
  }
  return [...grams];
}

/** The grams a stored content must contain to possibly include `term`. */
export function termGrams(term: string): string[] {
  const chars = [...lowerAscii(term)];
  if (chars.length < 2) return chars.filter((c) => !WHITESPACE_ONLY.test(c));
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const two = chars[i]! + chars[i + 1]!;
    if (!WHITESPACE_ONLY.test(two)) grams.add(two);
  }
  return [...grams];
}
