/** JSON type of a value, with null and arrays told apart. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/**
 * Where `actual` differs in shape from `expected`: a missing or unexpected field, or a field of another
 * JSON type. Values are not compared. Array items are held against the example item at the same index
 * (or the example's last one). Objects at `openPaths` (e.g. `$.data.metadata`) may hold other keys.
 */
export function shapeDiff(expected: unknown, actual: unknown, openPaths: string[] = [], path = '$'): string[] {
  const want = kindOf(expected)
  const got = kindOf(actual)
  if (want !== got) return [`${path}: expected ${want}, got ${got}`]
  if (want === 'array') {
    const e = expected as unknown[]
    const a = actual as unknown[]
    if (e.length > 0 && a.length === 0) return [`${path}: expected items, got an empty array`]
    return a.flatMap((item, i) => (e.length ? shapeDiff(e[Math.min(i, e.length - 1)], item, openPaths, `${path}[${i}]`) : []))
  }
  if (want !== 'object') return []
  const e = expected as Record<string, unknown>
  const a = actual as Record<string, unknown>
  const problems: string[] = []
  for (const key of Object.keys(e)) {
    if (!(key in a)) problems.push(`${path}.${key}: missing`)
    else problems.push(...shapeDiff(e[key], a[key], openPaths, `${path}.${key}`))
  }
  if (!openPaths.includes(path)) {
    for (const key of Object.keys(a)) if (!(key in e)) problems.push(`${path}.${key}: not in the example`)
  }
  return problems
}
