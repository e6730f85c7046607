// Strings for the setup step that keeps the platform's auto-replies, in both languages; zh.ts and en.ts take them as t.replyImport.

export const replyImportZh = {};

export const replyImportEn: typeof replyImportZh = {};
