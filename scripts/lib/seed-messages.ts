import type pg from "pg";

// Bulk synthetic messages for the console benchmark: one INSERT … SELECT over generate_series,
// so a million rows take seconds, not the hours a million round trips would.

const PHRASES = [
  "你好",
  "请问退款多久到账",
  "我要投诉",
  "发票怎么开",
  "今天几点营业",
  "谢谢",
  "收到",
  "订单号是多少",
  "快递到哪里了",
  "会员积分怎么兑换",
  "有优惠券吗",
  "我想取消订单",
  "地址填错了",
  "客服在吗",
  "价格是多少",
  "怎么预约",
  "周末营业吗",
  "可以开专票吗",
  "密码忘了",
  "绑定手机号",
  "活动什么时候结束",
  "支持货到付款吗",
  "hello",
  "thanks a lot",
  "refund please",
  "where is my order",
  "invoice",
  "opening hours",
  "新品上市了吗",
  "门店地址在哪",
  "能便宜点吗",
  "质量有问题",
  "想换个颜色",
  "尺码偏大还是偏小",
];
const TYPES = ["text", "text", "text", "text", "text", "text", "image", "voice", "event", "event", "location", "link", "video"];
const EVENTS = ["subscribe", "unsubscribe", "CLICK", "VIEW", "SCAN", "LOCATION"];

export async function seedMessages(db: pg.Client | pg.Pool, opts: { accountId: string; count: number; followers?: number; days?: number }): Promise<void> {
  const followers = opts.followers ?? 20_000;
  const days = opts.days ?? 90;
  await db.query(
    `INSERT INTO message (account_id, direction, msg_type, event, event_key, from_user, to_user, msg_id, create_time, content, content_grams,
                          media_id, label, title, raw_xml, fields, dedupe_key, received_at)
     SELECT $1::uuid, 'inbound', t.msg_type,
            CASE WHEN t.msg_type = 'event' THEN ($4::text[])[1 + (s.i * 7 % array_length($4::text[], 1))] END,
            CASE WHEN t.msg_type = 'event' THEN 'KEY_' || (s.i % 10) END,
            'o' || md5((s.i % $5)::text)::varchar(27), 'gh_benchmark000',
            CASE WHEN t.msg_type <> 'event' THEN (6054768590064713728 + s.i)::text END,
            extract(epoch FROM t.at)::bigint,
            c.content, mpdesk_search_grams(c.content),
            CASE WHEN t.msg_type IN ('image', 'voice', 'video') THEN 'media_' || s.i END,
            CASE WHEN t.msg_type = 'location' THEN '广州市海珠区' END,
            CASE WHEN t.msg_type = 'link' THEN '公众平台官网链接' END,
            '<xml><MsgType><![CDATA[' || t.msg_type || ']]></MsgType></xml>', '{}'::jsonb, 'bench:' || s.i, t.at
       FROM generate_series(1, $6::int) AS s(i)
       CROSS JOIN LATERAL (
         SELECT ($2::text[])[1 + (s.i * 17 % array_length($2::text[], 1))] AS msg_type,
                now() - (($6::int - s.i)::float8 / $6::int) * make_interval(days => $7::int) AS at
       ) t
       CROSS JOIN LATERAL (
         SELECT CASE WHEN t.msg_type = 'text' THEN
                  ($3::text[])[1 + (s.i * 13 % array_length($3::text[], 1))] || '，' ||
                  ($3::text[])[1 + (s.i * 31 % array_length($3::text[], 1))] || ' #' || (s.i % 9973) END AS content
       ) c`,
    [opts.accountId, TYPES, PHRASES, EVENTS, followers, opts.count, days],
  );
}
