import { en, type Strings } from './en.js'
import { es } from './es.js'

// Another language is one more file beside these and one line here.
const byLanguage: Record<string, Strings> = { en, es }

/** Strings for a BCP 47 tag (`es`, `es-MX`, …); English when the language has no file. */
export function stringsFor(lang: string | null | undefined): Strings {
  return byLanguage[(lang ?? '').trim().toLowerCase().split(/[-_]/)[0]!] ?? en
}
