"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";

// Client error boundary: it cannot read the server's dictionary, so it says the essentials in both.
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => console.error(error), [error]);
  const forbidden = error.message === "forbidden";
  return (
    <div className="mx-auto max-w-xl py-16">
      <Callout tone="danger" title={forbidden ? "没有权限 · Not allowed" : "出错了 · Something went wrong"}>
        <p>{forbidden ? "只有管理员可以执行此操作。Only admins can do this." : "请稍后重试。Please try again."}</p>
        {error.digest ? <p className="mt-1 font-mono text-xs opacity-70">{error.digest}</p> : null}
      </Callout>
      <Button variant="secondary" className="mt-4" onClick={reset}>
        重试 · Retry
      </Button>
    </div>
  );
}
