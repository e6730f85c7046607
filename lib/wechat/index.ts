export * from "./errors";
export * from "./signature";
export * from "./crypto";
export * from "./xml";
export * from "./reply";
export * from "./api-client";
