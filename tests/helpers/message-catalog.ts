import { randomBytes } from "node:crypto";
import { bigMsgId } from "./wechat-simulator";

// One of every message and event a follower can send, as WeChat formats them (field names and
// casing from the official documentation), each with a fresh follower and a MsgId above 2^53.

export const openId = () => `o${randomBytes(14).toString("base64url").slice(0, 27)}`;

export function messageCatalog(to = "gh_97417a04a28d"): Array<{ name: string; fields: Record<string, unknown> }> {
  const now = Math.floor(Date.now() / 1000);
  const base = (type: string) => ({ ToUserName: to, FromUserName: openId(), CreateTime: now, MsgType: type });
  const event = (name: string, extra: Record<string, unknown> = {}) => ({ ...base("event"), Event: name, ...extra });
  return [
    { name: "text", fields: { ...base("text"), Content: "  你好 <b>&amp; ]]> \n 😀  ", MsgId: bigMsgId() } },
    { name: "image", fields: { ...base("image"), PicUrl: "http://mmbiz.qpic.cn/x.jpg", MediaId: "media_img_1", MsgId: bigMsgId() } },
    { name: "voice", fields: { ...base("voice"), MediaId: "media_voice", Format: "amr", Recognition: "腾讯微信团队", MsgId: bigMsgId() } },
    { name: "video", fields: { ...base("video"), MediaId: "media_video", ThumbMediaId: "thumb_1", MsgId: bigMsgId() } },
    { name: "shortvideo", fields: { ...base("shortvideo"), MediaId: "media_sv", ThumbMediaId: "thumb_2", MsgId: bigMsgId() } },
    { name: "location", fields: { ...base("location"), Location_X: "23.134521", Location_Y: "113.358803", Scale: "20", Label: "位置信息", MsgId: bigMsgId() } },
    {
      name: "link",
      fields: { ...base("link"), Title: "公众平台官网链接", Description: "公众平台官网链接", Url: "https://mp.weixin.qq.com", MsgId: bigMsgId() },
    },
    { name: "subscribe", fields: event("subscribe", { EventKey: "" }) },
    { name: "subscribe qrscene", fields: event("subscribe", { EventKey: "qrscene_123123", Ticket: "TICKET" }) },
    { name: "unsubscribe", fields: event("unsubscribe", { EventKey: "" }) },
    { name: "SCAN", fields: event("SCAN", { EventKey: "123123", Ticket: "TICKET" }) },
    { name: "LOCATION", fields: event("LOCATION", { Latitude: "23.137466", Longitude: "113.352425", Precision: "119.385040" }) },
    { name: "CLICK", fields: event("CLICK", { EventKey: "V1001_TODAY_MUSIC" }) },
    { name: "VIEW", fields: event("VIEW", { EventKey: "https://www.qq.com/", MenuId: "3" }) },
    { name: "TEMPLATESENDJOBFINISH", fields: event("TEMPLATESENDJOBFINISH", { MsgID: bigMsgId(), Status: "success" }) },
    {
      name: "MASSSENDJOBFINISH",
      fields: event("MASSSENDJOBFINISH", { MsgID: bigMsgId(), Status: "send success", TotalCount: 100, FilterCount: 80, SentCount: 75, ErrorCount: 5 }),
    },
    { name: "scancode_push", fields: event("scancode_push", { EventKey: "6", ScanCodeInfo: { ScanType: "qrcode", ScanResult: "1" } }) },
    {
      name: "pic_sysphoto",
      fields: event("pic_sysphoto", {
        EventKey: "6",
        SendPicsInfo: { Count: 2, PicList: { item: [{ PicMd5Sum: "1b5f7c23b5bf75682a53e7b6d163e185" }, { PicMd5Sum: "2c6f" }] } },
      }),
    },
    {
      name: "location_select",
      fields: event("location_select", {
        EventKey: "6",
        SendLocationInfo: { Location_X: "23", Location_Y: "113", Scale: "15", Label: " 广州市海珠区", Poiname: "" },
      }),
    },
    { name: "view_miniprogram", fields: event("view_miniprogram", { EventKey: "pages/index/index", MenuId: "MENUID" }) },
    { name: "unknown future type", fields: { ...base("holographic"), Hologram: "✨", MsgId: bigMsgId() } },
  ];
}
