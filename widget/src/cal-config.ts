import type { UiConfig } from './cal-embed.js'
import type { MemberInfo } from './host-info.js'

/** The element's inputs that become Cal.com's booking-page parameters and `ui` instruction. */
export interface CalConfigInputs {
  name: string
  email: string
  notes: string
  theme: '' | 'light' | 'dark' | 'auto'
  layout: string
  brandColor: string
}

/** Flat booking-page parameters (prefill, theme, layout): embed.js puts each in the iframe URL. */
export function bookingConfig(el: CalConfigInputs, member: MemberInfo | undefined): Record<string, string> {
  const config: Record<string, string> = {}
  const name = el.name || member?.name
  const email = el.email || member?.email
  if (name) config.name = name
  if (email) config.email = email
  if (el.notes) config.notes = el.notes
  if (el.theme) config.theme = el.theme
  if (el.layout) config.layout = el.layout
  return config
}

/** Cal.com's `ui` instruction; the brand colour falls back to the page's `--churchhub-brand-color`. */
export function uiConfig(el: CalConfigInputs & Element): UiConfig {
  const ui: UiConfig = {}
  if (el.theme) ui.theme = el.theme
  if (el.layout) ui.layout = el.layout
  const brand = el.brandColor || getComputedStyle(el).getPropertyValue('--churchhub-brand-color').trim()
  if (brand) {
    ui.styles = { branding: { brandColor: brand } }
    ui.cssVarsPerTheme = { light: { 'cal-brand': brand }, dark: { 'cal-brand': brand } }
  }
  return ui
}
