import type { z } from "zod";
import type { Dictionary, Locale } from "../i18n";
import { getI18n } from "../i18n/server";
import type { ConsoleAccount } from "../accounts/console-account";
import type { AccountRole } from "./account-access";
import { lookUpAccount, requireUser, type Role, type SessionUser } from "./require-user";

// The prologue every server action shares, written once: the session (signed out → /login, as
// requireUser does), the role (a viewer gets the translated "forbidden" state and the handler
// never runs), zod parsing of the input, with each field's issues turned into that field's
// translated message, and the reader's dictionary. The handler receives only parsed data.
//
// It lives beside requireUser, not in app/: it is built on the same session check and on the
// request's cookies (next/headers), like lib/i18n/server.ts, and both are Next-bound edges, not
// domain logic. Every other module in lib/ stays free of Next.js.

/** What a form's useActionState holds: a message, and per field the message shown under it. */
export type FormState<Field extends string = never, Extra extends object = {}> =
  ({ ok: boolean; message: string; errors?: Partial<Record<Field, string>> } & Partial<Extra>) | null;

type BaseState = { ok: boolean; message: string; errors?: Partial<Record<string, string>> };
type ErrorField<State> = keyof NonNullable<NonNullable<State> extends { errors?: infer E } ? E : never> & string;

export type ActionContext<Data> = { user: SessionUser; data: Data; t: Dictionary; locale: Locale; tz: string };

/** A field's message when it does not parse: one entry, or one chosen by the zod issue. */
export type FieldMessage = string | ((issue: z.core.$ZodIssue) => string);

export type FormSpec<Schema extends z.ZodType, Field extends string> = {
  schema: Schema;
  /** The form's own message when the input does not parse; `fields` are those with an issue. */
  invalid: (t: Dictionary, fields: ReadonlySet<string>) => string;
  /** For each field shown in the form, the dictionary entry that goes under it. */
  fields?: (t: Dictionary) => Partial<Record<Field, FieldMessage>>;
};

type Actor = { user: SessionUser; t: Dictionary; locale: Locale; tz: string; allowed: boolean };

async function resolveActor(role: Role | "any"): Promise<Actor> {
  const { t, locale, tz } = await getI18n();
  const user = await requireUser();
  return { user, t, locale, tz, allowed: role !== "admin" || user.role === "admin" };
}

/** Each field with an issue gets its first issue's message, if the form shows that field. */
function fieldErrors(issues: readonly z.core.$ZodIssue[], messages: Partial<Record<string, FieldMessage>>): Partial<Record<string, string>> {
  const errors: Partial<Record<string, string>> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "");
    if (!Object.hasOwn(messages, field) || Object.hasOwn(errors, field)) continue;
    const message = messages[field];
    const text = typeof message === "function" ? message(issue) : message;
    if (text) errors[field] = text;
  }
  return errors;
}

/** Parses the form for an actor already allowed, and runs the handler on the parsed data. */
async function runForm<Schema extends z.ZodType, State extends BaseState | null, Extra extends object>(
  actor: Omit<Actor, "allowed"> & Extra,
  spec: FormSpec<Schema, ErrorField<State>>,
  handler: (ctx: ActionContext<z.output<Schema>> & Extra) => Promise<State>,
  formData: FormData,
): Promise<State> {
  const parsed = spec.schema.safeParse(formData instanceof FormData ? Object.fromEntries(formData) : undefined);
  if (!parsed.success) {
    const fields = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "")));
    const errors = spec.fields ? fieldErrors(parsed.error.issues, spec.fields(actor.t)) : {};
    return { ok: false, message: spec.invalid(actor.t, fields), ...(Object.keys(errors).length ? { errors } : {}) } as State;
  }
  return handler({ ...actor, data: parsed.data });
}

function formAction<Schema extends z.ZodType, State extends BaseState | null>(
  role: Role | "any",
  spec: FormSpec<Schema, ErrorField<State>>,
  handler: (ctx: ActionContext<z.output<Schema>>) => Promise<State>,
): (prev: State, formData: FormData) => Promise<State> {
  return async (_prev, formData) => {
    const { allowed, ...actor } = await resolveActor(role);
    // Every state type keeps its extra fields optional, so the bare refusal is one of them.
    if (!allowed) return { ok: false, message: actor.t.common.forbidden } as State;
    return runForm<Schema, State, {}>(actor, spec, handler, formData);
  };
}

/** A form action (useActionState) only admins may run. */
export function adminAction<Schema extends z.ZodType, State extends BaseState | null>(
  spec: FormSpec<Schema, ErrorField<State>>,
  handler: (ctx: ActionContext<z.output<Schema>>) => Promise<State>,
): (prev: State, formData: FormData) => Promise<State> {
  return formAction("admin", spec, handler);
}

/** A form action any signed-in user may run, for themselves. */
export function userAction<Schema extends z.ZodType, State extends BaseState | null>(
  spec: FormSpec<Schema, ErrorField<State>>,
  handler: (ctx: ActionContext<z.output<Schema>>) => Promise<State>,
): (prev: State, formData: FormData) => Promise<State> {
  return formAction("any", spec, handler);
}

/**
 * An admin action called with arguments rather than a form (a button that fetches a value).
 * Its arguments are parsed as a tuple; a viewer or an argument that does not parse gets null.
 */
export function adminCall<Schema extends z.ZodTuple, Result>(
  schema: Schema,
  handler: (ctx: ActionContext<z.output<Schema>>) => Promise<Result>,
): (...args: Extract<z.input<Schema>, unknown[]>) => Promise<Result | null> {
  return async (...args) => {
    const { allowed, ...actor } = await resolveActor("admin");
    if (!allowed) return null;
    const parsed = schema.safeParse(args);
    if (!parsed.success) return null;
    return handler({ ...actor, data: parsed.data });
  };
}

export type AccountActionContext<Data> = ActionContext<Data> & { account: ConsoleAccount; role: AccountRole };

// The account an action is about travels in the form (a hidden `account` field holding the AppID
// of the page) or as the call's first argument, and is checked here like the page checked it: an
// account the user may not see and a role that is not enough get the same "forbidden" answer.
async function resolveAccountActor(appId: unknown, needed: AccountRole) {
  const { t, locale, tz } = await getI18n();
  const user = await requireUser();
  const found = typeof appId === "string" && appId ? await lookUpAccount(user, appId, needed) : null;
  const context = found?.ok ? found.context : null;
  return { user, t, locale, tz, account: context?.account, role: context?.role ?? null, allowed: !!context };
}

/** A form action on the account named by the form's `account` field, for that account's admins. */
export function accountAdminAction<Schema extends z.ZodType, State extends BaseState | null>(
  spec: FormSpec<Schema, ErrorField<State>>,
  handler: (ctx: AccountActionContext<z.output<Schema>>) => Promise<State>,
): (prev: State, formData: FormData) => Promise<State> {
  return async (_prev, formData) => {
    const { allowed, account, role, ...actor } = await resolveAccountActor(formData instanceof FormData ? formData.get("account") : undefined, "admin");
    if (!allowed) return { ok: false, message: actor.t.common.forbidden } as State;
    return runForm<Schema, State, { account: ConsoleAccount; role: AccountRole }>({ ...actor, account: account!, role: role! }, spec, handler, formData);
  };
}

/** adminCall() on one account: the first argument is the account's AppID, checked as above. */
export function accountAdminCall<Schema extends z.ZodTuple, Result>(
  schema: Schema,
  handler: (ctx: AccountActionContext<z.output<Schema>>) => Promise<Result>,
): (appId: string, ...args: Extract<z.input<Schema>, unknown[]>) => Promise<Result | null> {
  return async (appId, ...args) => {
    const { allowed, account, role, ...actor } = await resolveAccountActor(appId, "admin");
    if (!allowed) return null;
    const parsed = schema.safeParse(args);
    if (!parsed.success) return null;
    return handler({ ...actor, account: account!, role: role!, data: parsed.data });
  };
}

/** A call on one account that changes nothing at WeChat's or in mpdesk: every member of the account, viewers too. */
export function accountMemberCall<Schema extends z.ZodTuple, Result>(
  schema: Schema,
  handler: (ctx: AccountActionContext<z.output<Schema>>) => Promise<Result>,
): (appId: string, ...args: Extract<z.input<Schema>, unknown[]>) => Promise<Result | null> {
  return async (appId, ...args) => {
    const { allowed, account, role, ...actor } = await resolveAccountActor(appId, "viewer");
    if (!allowed) return null;
    const parsed = schema.safeParse(args);
    if (!parsed.success) return null;
    return handler({ ...actor, account: account!, role: role!, data: parsed.data });
  };
}
