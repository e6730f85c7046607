import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { Dictionary } from "@/lib/i18n";
import { ownValue } from "@/lib/own-value";
import { EVENT_TYPES, hasFilters, MESSAGE_TYPES, type TMessageFilters } from "@/lib/messages/message-filters";

// A plain GET form: the filters land in the URL, so the view is linkable and works without JS.
export function MessageFiltersForm({ filters, t, action }: { filters: TMessageFilters; t: Dictionary["messages"]; action: string }) {
  const f = t.filters;
  const types = filters.type && !(MESSAGE_TYPES as readonly string[]).includes(filters.type) ? [...MESSAGE_TYPES, filters.type] : MESSAGE_TYPES;
  const events = filters.event && !(EVENT_TYPES as readonly string[]).includes(filters.event) ? [...EVENT_TYPES, filters.event] : EVENT_TYPES;
  return (
    <form method="get" action={action} role="search" aria-label={f.label} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6">
        <Field id="f-q" label={f.q} className="sm:col-span-2 lg:col-span-2">
          <Input id="f-q" name="q" type="search" defaultValue={filters.q} placeholder={f.qPlaceholder} />
        </Field>
        <Field id="f-type" label={f.type}>
          <Select id="f-type" name="type" defaultValue={filters.type ?? ""}>
            <option value="">{f.allTypes}</option>
            {types.map((ty) => (
              <option key={ty} value={ty}>
                {ownValue(t.types as Record<string, string>, ty) ?? ty}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="f-event" label={f.event}>
          <Select id="f-event" name="event" defaultValue={filters.event ?? ""}>
            <option value="">{f.allEvents}</option>
            {events.map((ev) => (
              <option key={ev} value={ev}>
                {ev}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="f-direction" label={f.direction}>
          <Select id="f-direction" name="direction" defaultValue={filters.direction ?? ""}>
            <option value="">{f.allDirections}</option>
            <option value="inbound">{f.inbound}</option>
            <option value="outbound">{f.outbound}</option>
          </Select>
        </Field>
        <Field id="f-openid" label={f.openid}>
          <Input id="f-openid" name="openid" defaultValue={filters.openid} placeholder={f.openidPlaceholder} className="font-mono" spellCheck={false} />
        </Field>
        <Field id="f-from" label={f.from}>
          <Input id="f-from" name="from" type="date" defaultValue={filters.from} />
        </Field>
        <Field id="f-to" label={f.to}>
          <Input id="f-to" name="to" type="date" defaultValue={filters.to} />
        </Field>
        <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4 lg:justify-end">
          {hasFilters(filters) ? (
            <Link href={action} className={buttonClass("ghost")}>
              {f.reset}
            </Link>
          ) : null}
          <Button type="submit">{f.apply}</Button>
        </div>
      </div>
    </form>
  );
}
