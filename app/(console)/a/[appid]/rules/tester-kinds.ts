// What the tester can send, shared by the page (server) and its form (client).
export const TEST_KINDS = ["text", "subscribe", "scan", "click"] as const;
export type TestKind = (typeof TEST_KINDS)[number];
