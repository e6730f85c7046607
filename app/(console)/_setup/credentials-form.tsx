"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import type { z } from "zod";
import { Button, buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { cn } from "@/components/ui/cn";
import { Field, fieldIds } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SecretField } from "@/components/ui/secret-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ZAppId, ZAppSecret, ZEncodingAesKey, ZToken, type TAccountType, type TMessageMode } from "@/lib/accounts/account-fields";
import { fmt, type Dictionary } from "@/lib/i18n";
import type { CredentialField, CredentialsState } from "./actions";

type T = { common: Dictionary["common"]; c: Dictionary["setup"]["credentials"]; readOnly: string; next: string; name: Dictionary["accounts"]["name"] };

// The same zod schemas as the server action: the hint under a field and the server's verdict agree.
const CHECKS: Partial<Record<CredentialField, z.ZodType>> = { appId: ZAppId, appSecret: ZAppSecret, token: ZToken, encodingAesKey: ZEncodingAesKey };

/**
 * Step 2, for an account (`account` set: `save` updates it) or for a new one (`account` null:
 * `save` creates it, with the display name asked for here too).
 */
export function CredentialsForm({
  t,
  canEdit,
  save,
  generate: generateValue,
  links,
  account,
  kind,
}: {
  t: T;
  canEdit: boolean;
  save: (prev: CredentialsState, form: FormData) => Promise<CredentialsState>;
  generate: (kind: "token" | "encodingAesKey") => Promise<string | null>;
  links: { back: string; next: string | null };
  /** `token` is null for viewers: they get `tokenMask` only. */
  account: {
    id: string;
    appId: string;
    token: string | null;
    tokenMask: string;
    messageMode: TMessageMode;
    appSecretMask: string | null;
    encodingAesKeyMask: string | null;
  } | null;
  kind: { accountType: TAccountType; certified: boolean };
}) {
  const [state, action] = useActionState(save, null);
  const [appId, setAppId] = useState(account?.appId ?? "");
  const [token, setToken] = useState(account?.token ?? "");
  const [appSecret, setAppSecret] = useState("");
  const [aesKey, setAesKey] = useState("");
  const [mode, setMode] = useState<TMessageMode>(account?.messageMode ?? "plain");
  const [replaceSecret, setReplaceSecret] = useState(!account?.appSecretMask);
  const [replaceKey, setReplaceKey] = useState(!account?.encodingAesKeyMask);
  const [local, setLocal] = useState<Partial<Record<CredentialField, string>>>({});
  const [generating, startGenerating] = useTransition();
  const e = t.c.errors;

  useEffect(() => {
    if (!state?.ok) return;
    // Saved: the secrets are now on the server, and shown masked from the refreshed props.
    setAppSecret("");
    setAesKey("");
    setReplaceSecret(false);
    setReplaceKey(false);
    setLocal({});
  }, [state]);

  // A field is checked when it loses focus, and its error line appearing or going moves every
  // control below it. When the focus leaves because a button is being pressed (Save, Generate),
  // moving that button before the press ends would lose the click, so the check waits for the
  // release and the click that follows it.
  const pressing = useRef(false);
  const deferred = useRef<Array<() => void>>([]);
  useEffect(() => {
    const down = () => void (pressing.current = true);
    const up = () => {
      pressing.current = false;
      const run = deferred.current.splice(0);
      if (run.length) setTimeout(() => run.forEach((f) => f()), 0);
    };
    window.addEventListener("mousedown", down, true);
    window.addEventListener("mouseup", up, true);
    window.addEventListener("pointercancel", up, true);
    return () => {
      window.removeEventListener("mousedown", down, true);
      window.removeEventListener("mouseup", up, true);
      window.removeEventListener("pointercancel", up, true);
    };
  }, []);

  const check = (field: CredentialField, value: string) => {
    const v = value.trim();
    // Empty: AppID and Token are required; an empty secret means "keep the saved one".
    const ok = v === "" ? field !== "appId" && field !== "token" : (CHECKS[field]?.safeParse(v).success ?? true);
    const apply = () => setLocal((l) => ({ ...l, [field]: ok ? undefined : e[field as keyof typeof e] }));
    if (pressing.current) deferred.current.push(apply);
    else apply();
  };
  const errorOf = (field: CredentialField) => local[field] ?? (state && !state.ok ? state.errors?.[field] : undefined);

  const generate = (kind: "token" | "encodingAesKey") =>
    startGenerating(async () => {
      const value = await generateValue(kind);
      if (!value) return;
      if (kind === "token") setToken(value);
      else {
        setReplaceKey(true);
        setAesKey(value);
      }
      setLocal((l) => ({ ...l, [kind]: undefined }));
    });

  const aesRequired = mode !== "plain" && !account?.encodingAesKeyMask;
  const secretLabels = { show: t.common.show, hide: t.common.hide, copy: t.common.copy, copied: t.common.copied };
  const replaceToggle = (replacing: boolean, toggle: () => void) => (
    <button type="button" className="text-xs font-medium text-emerald-700 hover:underline" onClick={toggle}>
      {replacing ? t.common.keep : t.common.replace}
    </button>
  );
  const secretAside =
    account?.appSecretMask && canEdit
      ? replaceToggle(replaceSecret, () => (setReplaceSecret((r) => !r), setAppSecret(""), setLocal((l) => ({ ...l, appSecret: undefined }))))
      : null;
  const keyAside =
    account?.encodingAesKeyMask && canEdit
      ? replaceToggle(replaceKey, () => (setReplaceKey((r) => !r), setAesKey(""), setLocal((l) => ({ ...l, encodingAesKey: undefined }))))
      : null;
  const generateButton = (what: "token" | "encodingAesKey") => (
    <Button variant="secondary" onClick={() => generate(what)} disabled={generating}>
      {t.common.generate}
      <span className="sr-only"> {what === "token" ? "Token" : "EncodingAESKey"}</span>
    </Button>
  );

  return (
    <form action={action} className="space-y-6" noValidate>
      {account ? <input type="hidden" name="account" value={account.appId} /> : null}
      <input type="hidden" name="accountType" value={kind.accountType} />
      <input type="hidden" name="certified" value={kind.certified ? "1" : "0"} />
      <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
        <h2 className="text-base font-semibold text-slate-900">{t.c.title}</h2>
        <p className="mt-1 text-sm leading-relaxed text-slate-500">{t.c.intro}</p>
        <fieldset disabled={!canEdit} className="mt-6 grid gap-6">
          {!account ? (
            <Field
              id="displayName"
              label={t.name.label}
              hint={t.name.hint}
              error={errorOf("displayName")}
              aside={<span className="text-xs text-slate-400">{t.common.optional}</span>}
            >
              <Input
                {...fieldIds("displayName", { hint: true, error: !!errorOf("displayName") })}
                name="displayName"
                maxLength={64}
                autoComplete="off"
                placeholder={t.name.placeholder}
              />
            </Field>
          ) : null}
          <Field id="appId" label="AppID" hint={t.c.appIdHint} error={errorOf("appId")}>
            <Input
              {...fieldIds("appId", { hint: true, error: !!errorOf("appId") })}
              name="appId"
              value={appId}
              onChange={(ev) => setAppId(ev.target.value)}
              onBlur={() => check("appId", appId)}
              autoComplete="off"
              spellCheck={false}
              placeholder="wx0123456789abcdef"
              className="font-mono"
            />
          </Field>

          {replaceSecret ? (
            <Field id="appSecret" label="AppSecret" hint={t.c.appSecretHint} error={errorOf("appSecret")} aside={secretAside}>
              <Input
                {...fieldIds("appSecret", { hint: true, error: !!errorOf("appSecret") })}
                name="appSecret"
                value={appSecret}
                onChange={(ev) => setAppSecret(ev.target.value)}
                onBlur={() => check("appSecret", appSecret)}
                autoComplete="off"
                spellCheck={false}
                autoFocus={!!account?.appSecretMask}
                className="font-mono"
              />
            </Field>
          ) : (
            <SecretField
              control="input"
              id="appSecret"
              label="AppSecret"
              hint={t.c.appSecretHint}
              aside={secretAside}
              mask={fmt(t.c.appSecretSaved, { mask: account?.appSecretMask ?? "" })}
              labels={secretLabels}
            />
          )}

          {account && account.token === null ? (
            // A viewer: the form holds the Token's mask only.
            <SecretField
              control="input"
              id="token"
              label="Token"
              hint={t.c.tokenHint}
              mask={account.tokenMask}
              labels={secretLabels}
              actions={generateButton("token")}
            />
          ) : (
            <Field id="token" label="Token" hint={t.c.tokenHint} error={errorOf("token")}>
              <div className="flex gap-2">
                <Input
                  {...fieldIds("token", { hint: true, error: !!errorOf("token") })}
                  name="token"
                  value={token}
                  onChange={(ev) => setToken(ev.target.value)}
                  onBlur={() => check("token", token)}
                  autoComplete="off"
                  spellCheck={false}
                  className="font-mono"
                />
                {generateButton("token")}
              </div>
            </Field>
          )}

          {replaceKey ? (
            <Field id="encodingAesKey" label="EncodingAESKey" hint={t.c.aesKeyHint} error={errorOf("encodingAesKey")} aside={keyAside}>
              <div className="flex gap-2">
                <Input
                  {...fieldIds("encodingAesKey", { hint: true, error: !!errorOf("encodingAesKey") })}
                  name="encodingAesKey"
                  value={aesKey}
                  onChange={(ev) => setAesKey(ev.target.value)}
                  onBlur={() => check("encodingAesKey", aesKey)}
                  autoComplete="off"
                  spellCheck={false}
                  required={aesRequired}
                  className="font-mono"
                />
                {generateButton("encodingAesKey")}
              </div>
            </Field>
          ) : (
            <SecretField
              control="input"
              id="encodingAesKey"
              label="EncodingAESKey"
              hint={t.c.aesKeyHint}
              aside={keyAside}
              mask={fmt(t.c.aesKeySaved, { mask: account?.encodingAesKeyMask ?? "" })}
              labels={secretLabels}
              actions={generateButton("encodingAesKey")}
            />
          )}

          <fieldset aria-describedby="mode-hint">
            <legend className="text-sm font-medium text-slate-800">{t.c.messageMode}</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-3">
              {(["plain", "compat", "safe"] as const).map((m) => (
                <div
                  key={m}
                  className={cn(
                    "relative rounded-lg border bg-white p-3 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-emerald-600",
                    mode === m ? "border-emerald-600 ring-1 ring-emerald-600" : "border-slate-200",
                  )}
                >
                  <div className="flex items-center gap-2">
                    <input
                      id={`mode-${m}`}
                      type="radio"
                      name="messageMode"
                      value={m}
                      checked={mode === m}
                      onChange={() => setMode(m)}
                      className="relative z-10 size-4 accent-emerald-600"
                      aria-describedby={`mode-${m}-desc`}
                    />
                    <label htmlFor={`mode-${m}`} className="text-sm font-medium text-slate-900 after:absolute after:inset-0">
                      {t.c.modes[m].label}
                    </label>
                  </div>
                  <p id={`mode-${m}-desc`} className="mt-1 text-xs leading-relaxed text-slate-500">
                    {t.c.modes[m].body}
                  </p>
                </div>
              ))}
            </div>
            <p id="mode-hint" className="mt-2 text-xs text-slate-500">
              {t.c.modeHint}
            </p>
          </fieldset>
        </fieldset>
      </div>

      {!canEdit ? <Callout tone="warning">{t.readOnly}</Callout> : null}
      {state ? (
        <Callout tone={state.ok ? "success" : "danger"} role={state.ok ? "status" : "alert"}>
          <p>{state.message}</p>
          {state.ok && state.rotated ? <p>{t.c.rotated}</p> : null}
        </Callout>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        {canEdit ? <SubmitButton pendingLabel={t.common.saving}>{t.common.save}</SubmitButton> : null}
        <Link href={links.back} className={buttonClass("ghost")}>
          ← {t.common.back}
        </Link>
        {links.next ? (
          <Link href={links.next} className={buttonClass(state?.ok ? "primary" : "secondary", "md", "ml-auto")}>
            {t.next} →
          </Link>
        ) : null}
      </div>
    </form>
  );
}
