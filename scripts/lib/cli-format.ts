// How the operator's command line reads its flags and prints: UTC seconds and aligned columns.

/** What a command reads from the command line: one value of a flag, every value of a repeated one, or whether a switch is on. */
export type CliFlags = {
  value(name: string, required: true): string;
  value(name: string, required?: false): string | undefined;
  values(name: string): string[];
  has(name: string): boolean;
};

export function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows])
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
}
