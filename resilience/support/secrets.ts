/**
 * Which of the given secrets appear in `text`. Answers with their labels, never their values, so
 * the test's own output cannot leak what it looks for.
 */
export function leakedSecrets(text: string, secrets: Record<string, string | readonly string[]>): string[] {
  const leaks: string[] = []
  const lower = text.toLowerCase()
  for (const [label, value] of Object.entries(secrets)) {
    const values = typeof value === 'string' ? [value] : value
    const found = values.filter((v) => v.length >= 6 && lower.includes(v.toLowerCase())).length
    if (found) leaks.push(values.length > 1 ? `${label} (${found} of ${values.length})` : label)
  }
  return leaks
}
