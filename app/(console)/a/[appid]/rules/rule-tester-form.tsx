"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { Dictionary } from "@/lib/i18n";
import { TEST_KINDS, type TestKind } from "./tester-kinds";

/** A GET form: the test is in the URL, so viewers can run it and a result can be linked. */
export function RuleTesterForm({ action, kind, value, t }: { action: string; kind: TestKind; value: string; t: Dictionary["rules"]["tester"] }) {
  const [chosen, setChosen] = useState<TestKind>(kind);
  const label = chosen === "text" ? t.message : chosen === "subscribe" ? t.sceneOptional : chosen === "scan" ? t.scene : t.key;
  return (
    <form method="get" action={action} className="space-y-3">
      <Field id="test-kind" label={t.kind}>
        <Select id="test-kind" name="test" value={chosen} onChange={(e) => setChosen(e.target.value as TestKind)}>
          {TEST_KINDS.map((k) => (
            <option key={k} value={k}>
              {t.kinds[k]}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="test-value" label={label}>
        <Input
          id="test-value"
          name="q"
          defaultValue={value}
          maxLength={2000}
          autoComplete="off"
          required={chosen === "text" || chosen === "scan" || chosen === "click"}
        />
      </Field>
      <Button type="submit">{t.run}</Button>
    </form>
  );
}
