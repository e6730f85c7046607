// Media mpdesk puts on WeChat (table media_asset): permanent material for reply rules
// (material/add_material) and temporary media for the inbox (media/upload). The bytes are kept,
// so the console can show an image after WeChat's temporary copy expires.

export type MediaKind = "image" | "voice" | "video" | "thumb";

/** A file to put on WeChat, as uploaded in the console or downloaded with media/get. */
export type MediaFile = { kind: MediaKind; filename: string; contentType: string; bytes: Buffer; title?: string; introduction?: string };

export type StoredMedia = {
  id: string;
  accountId: string;
  kind: MediaKind;
  permanent: boolean;
  mediaId: string;
  url: string | null;
  filename: string;
  contentType: string;
  byteSize: number;
  createdAt: Date;
  expiresAt: Date | null;
};
