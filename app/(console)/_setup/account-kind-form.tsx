"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { cn } from "@/components/ui/cn";
import { SubmitButton } from "@/components/ui/submit-button";
import { CapabilityTable } from "@/components/capability-table";
import type { TAccountType } from "@/lib/accounts/account-fields";
import { fmt, type Dictionary } from "@/lib/i18n";
import { saveKind } from "./actions";

const TYPES: TAccountType[] = ["subscription", "service", "miniprogram", "wecom"];

export function AccountKindForm({
  t,
  appId,
  nextPath,
  initialType,
  initialCertified,
  canEdit,
}: {
  t: Pick<Dictionary, "common"> & { account: Dictionary["setup"]["account"]; capability: Dictionary["setup"]["capability"]; readOnly: string };
  /** The account's AppID; null while adding one, whose choice travels to step 2 in the URL. */
  appId: string | null;
  nextPath: string;
  initialType: TAccountType;
  initialCertified: boolean;
  canEdit: boolean;
}) {
  const [type, setType] = useState<TAccountType>(initialType);
  const [certified, setCertified] = useState(initialCertified);
  const [state, action] = useActionState(saveKind, null);
  const a = t.account;
  const nextHref = `${nextPath}?type=${type}&certified=${certified ? "1" : "0"}`;
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
      <form action={action} className="space-y-6">
        {appId ? <input type="hidden" name="account" value={appId} /> : null}
        <fieldset disabled={!canEdit} className="space-y-6">
          <div>
            <legend className="text-base font-semibold text-slate-900">{a.title}</legend>
            <p className="mt-1 text-sm text-slate-500">{a.intro}</p>
          </div>
          <div role="radiogroup" aria-label={a.typeLabel} className="grid gap-3 sm:grid-cols-2">
            {TYPES.map((ty) => (
              <label
                key={ty}
                className={cn(
                  "relative flex cursor-pointer flex-col rounded-xl border bg-white p-4 shadow-sm transition-colors has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-emerald-600",
                  type === ty ? "border-emerald-600 ring-1 ring-emerald-600" : "border-slate-200 hover:border-slate-300",
                )}
              >
                <input type="radio" name="accountType" value={ty} checked={type === ty} onChange={() => setType(ty)} className="sr-only" />
                <span className="text-sm font-semibold text-slate-900">{a.types[ty].name}</span>
                <span className="mt-1 text-xs leading-relaxed text-slate-600">{a.types[ty].body}</span>
              </label>
            ))}
          </div>
          <Callout tone="tip" title={a.howToTell.title}>
            <ul className="list-disc space-y-1 pl-4">
              <li>{a.howToTell.pin}</li>
              <li>{a.howToTell.folder}</li>
              <li>{a.howToTell.admin}</li>
            </ul>
          </Callout>
          <div>
            <p id="certified-label" className="text-sm font-medium text-slate-800">
              {a.certifiedLabel}
            </p>
            <div role="radiogroup" aria-labelledby="certified-label" className="mt-2 inline-flex rounded-lg border border-slate-200 bg-white p-1">
              {[false, true].map((v) => (
                <label
                  key={String(v)}
                  className={cn(
                    "cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-emerald-600",
                    certified === v ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100",
                  )}
                >
                  <input type="radio" name="certified" value={v ? "1" : "0"} checked={certified === v} onChange={() => setCertified(v)} className="sr-only" />
                  {v ? a.certified : a.notCertified}
                </label>
              ))}
            </div>
            <p className="mt-3 text-sm leading-relaxed text-slate-600">
              <span className="font-medium text-slate-800">{a.certification.title} </span>
              {a.certification.body}
            </p>
          </div>
          <Callout tone="info" title={a.email.title}>
            {a.email.body}
          </Callout>
        </fieldset>
        {!canEdit ? <Callout tone="warning">{t.readOnly}</Callout> : null}
        {state ? (
          <Callout tone={state.ok ? "success" : "danger"} role="status">
            {state.message}
          </Callout>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          {appId && canEdit ? <SubmitButton pendingLabel={t.common.saving}>{t.common.save}</SubmitButton> : null}
          <Link href={nextHref} className={buttonClass(appId && canEdit ? "secondary" : "primary")}>
            {t.common.next} →
          </Link>
          {!appId ? <span className="text-xs text-slate-500">{a.continueHint}</span> : null}
        </div>
      </form>
      <aside aria-labelledby="matrix-title" className="lg:sticky lg:top-20 lg:self-start">
        <CapabilityTable
          id="matrix-title"
          title={a.matrixTitle}
          caption={fmt(a.matrixCaption, { type: a.types[type].name, cert: certified ? a.certified : a.notCertified })}
          note={a.matrixNote}
          type={type}
          certified={certified}
          t={t.capability}
          featureLabel={a.feature}
          statusLabel={a.status}
        />
      </aside>
    </div>
  );
}
