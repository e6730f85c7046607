// Strings for reply rules page, editor and tester, in both languages; zh.ts and en.ts take them as t.rules.

export const rulesZh = {};

export const rulesEn: typeof rulesZh = {};
