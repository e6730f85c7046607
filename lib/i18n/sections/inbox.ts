// Strings for the inbox, the thread's composer and the window meter, in both languages; zh.ts and en.ts take them as t.inbox.

export const inboxZh = {};

export const inboxEn: typeof inboxZh = {};
