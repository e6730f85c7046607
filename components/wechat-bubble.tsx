import type { RuleReply } from "@/lib/replies/rule-fields";
import { cn } from "./ui/cn";

// A reply drawn as WeChat's chat window draws it: the account's messages on the left in white,
// the follower's on the right in WeChat's green. Images come from the bytes mpdesk kept
// (/api/media/<id>); a news article's picture is on WeChat's servers, which the console's
// Content-Security-Policy does not load, so the card shows the link's host instead.

export type BubbleLabels = {
  image: string;
  voice: string;
  video: string;
  music: string;
  news: string;
  /** Said when the media_id is not one mpdesk kept the bytes of. */
  notKept: string;
};

/** What mpdesk knows of a media_id: where the console reads its bytes, and its file name. */
export type BubbleMedia = { src: string; filename: string };

type Props = {
  /** Who speaks: "account" on the left (the reply), "follower" on the right. */
  side: "account" | "follower";
  className?: string;
};

export function ChatBubble({ side, className, children, testId }: Props & { children: React.ReactNode; testId?: string }) {
  const follower = side === "follower";
  return (
    <div className={cn("flex items-start gap-2", follower && "flex-row-reverse")} data-testid={testId}>
      <span
        aria-hidden
        className={cn(
          "mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-md text-xs font-semibold",
          follower ? "bg-sky-100 text-sky-700" : "bg-emerald-600 text-white",
        )}
      >
        {follower ? (
          <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" className="size-5">
            <path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8ZM4 21a8 8 0 0 1 16 0" />
          </svg>
        ) : (
          "mp"
        )}
      </span>
      <div
        className={cn(
          "relative max-w-[18rem] rounded-md px-3 py-2 text-sm leading-relaxed shadow-sm",
          follower ? "bg-[#95ec69] text-slate-900" : "bg-white text-slate-900 ring-1 ring-slate-200",
          className,
        )}
      >
        <span
          aria-hidden
          className={cn("absolute top-3 size-2 rotate-45", follower ? "-right-1 bg-[#95ec69]" : "-left-1 border-b border-l border-slate-200 bg-white")}
        />
        {children}
      </div>
    </div>
  );
}

const hostOf = (url: string | undefined) => {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
};

function Chip({ icon, label, detail }: { icon: string; label: string; detail?: string | null }) {
  return (
    <span className="flex items-center gap-2">
      <span aria-hidden className="text-base">
        {icon}
      </span>
      <span className="font-medium">{label}</span>
      {detail ? <span className="truncate text-xs text-slate-500">{detail}</span> : null}
    </span>
  );
}

/** One reply of a rule, as the follower would see it. */
export function WeChatReplyBubble({
  reply,
  media,
  labels,
  testId,
}: {
  reply: RuleReply;
  /** By media_id. */
  media: Record<string, BubbleMedia | undefined>;
  labels: BubbleLabels;
  testId?: string;
}) {
  switch (reply.type) {
    case "text":
      return (
        <ChatBubble side="account" testId={testId}>
          <p className="whitespace-pre-wrap break-words">{reply.content}</p>
        </ChatBubble>
      );
    case "image": {
      const m = media[reply.mediaId];
      return (
        <ChatBubble side="account" testId={testId} className={m ? "p-1" : undefined}>
          {m ? (
            <img src={m.src} alt={`${labels.image}: ${m.filename}`} className="max-h-48 max-w-full rounded" />
          ) : (
            <Chip icon="🖼" label={labels.image} detail={`${labels.notKept} ${reply.mediaId}`} />
          )}
        </ChatBubble>
      );
    }
    case "voice":
      return (
        <ChatBubble side="account" testId={testId}>
          <Chip icon="🔊" label={labels.voice} detail={media[reply.mediaId]?.filename ?? reply.mediaId} />
        </ChatBubble>
      );
    case "video":
      return (
        <ChatBubble side="account" testId={testId}>
          <Chip icon="🎬" label={reply.title || labels.video} detail={media[reply.mediaId]?.filename ?? reply.mediaId} />
          {reply.description ? <p className="mt-1 text-xs text-slate-500">{reply.description}</p> : null}
        </ChatBubble>
      );
    case "music": {
      const thumb = media[reply.thumbMediaId];
      return (
        <ChatBubble side="account" testId={testId} className="w-64">
          <div className="flex items-center gap-3">
            {thumb ? (
              <img src={thumb.src} alt="" className="size-12 shrink-0 rounded object-cover" />
            ) : (
              <span aria-hidden className="flex size-12 shrink-0 items-center justify-center rounded bg-slate-800 text-xl text-white">
                ♪
              </span>
            )}
            <div className="min-w-0">
              <p className="truncate font-medium">{reply.title || labels.music}</p>
              {reply.description ? <p className="truncate text-xs text-slate-500">{reply.description}</p> : null}
              <p className="truncate text-[11px] text-slate-400">{hostOf(reply.musicUrl) ?? labels.music}</p>
            </div>
          </div>
        </ChatBubble>
      );
    }
    case "news": {
      const a = reply.article;
      return (
        <ChatBubble side="account" testId={testId} className="w-64 p-0">
          <div className="px-3 pt-2">
            <p className="font-medium leading-snug">{a.title}</p>
          </div>
          <div className="flex items-start gap-3 px-3 pb-2 pt-1">
            <p className="min-w-0 flex-1 text-xs text-slate-500">{a.description}</p>
            <span aria-hidden className="flex size-12 shrink-0 items-center justify-center rounded bg-slate-100 text-lg text-slate-400">
              📰
            </span>
          </div>
          <p className="border-t border-slate-100 px-3 py-1 text-[11px] text-slate-400">{hostOf(a.url) ?? labels.news}</p>
        </ChatBubble>
      );
    }
  }
}
