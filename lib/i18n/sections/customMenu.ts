// Strings for the custom menu editor, versions and taps, in both languages; zh.ts and en.ts take them as t.customMenu.

export const customMenuZh = {};

export const customMenuEn: typeof customMenuZh = {};
