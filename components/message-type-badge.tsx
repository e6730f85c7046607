import type { Dictionary } from "@/lib/i18n";
import { ownValue } from "@/lib/own-value";
import { Badge, type Tone } from "./ui/badge";

const TONES: Record<string, Tone> = {
  text: "blue",
  image: "violet",
  voice: "amber",
  video: "violet",
  shortvideo: "violet",
  location: "green",
  link: "blue",
  event: "neutral",
};

export function MessageTypeBadge({ msgType, event, t }: { msgType: string; event: string | null; t: Dictionary["messages"]["types"] }) {
  const known = ownValue(t as Record<string, string>, msgType);
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Badge tone={ownValue(TONES, msgType) ?? "neutral"}>{known ?? msgType}</Badge>
      {event ? <code className="text-xs text-slate-600">{event}</code> : null}
    </span>
  );
}
