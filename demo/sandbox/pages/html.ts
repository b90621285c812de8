/** A string already escaped for HTML; interpolating one into `html` keeps it as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() { return this.value }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

type Part = SafeHtml | string | number | boolean | null | undefined | Part[]

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return ''
  if (Array.isArray(part)) return part.map(render).join('')
  if (part instanceof SafeHtml) return part.value
  return escapeHtml(String(part))
}

/** Template tag: every interpolated value is escaped unless it is SafeHtml (or an array of them). */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!
  values.forEach((v, i) => { out += render(v) + strings[i + 1]! })
  return new SafeHtml(out)
}

/** ` name="value"`, or nothing when the value is undefined or false (`true` gives a bare attribute). */
export function attr(name: string, value: string | number | boolean | undefined): SafeHtml {
  if (value === undefined || value === false) return new SafeHtml('')
  if (value === true) return new SafeHtml(` ${name}`)
  return new SafeHtml(` ${name}="${escapeHtml(String(value))}"`)
}
