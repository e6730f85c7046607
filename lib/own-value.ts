// A lookup by a string that came from outside (a follower's MsgType, a URL parameter): only the
// object's own keys count, so "__proto__" or "constructor" never yields something inherited.
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
