import { buildWith } from '../../server/test/helpers.js'
import { buildDemoApp, type DemoAppOptions } from '../app.js'

interface Teardown { teardown(fn: () => unknown): void }

/** The demo composition (product + sandbox in sandbox mode + demo pages), as build() builds the product. */
export function buildDemo(t: Teardown, options: Partial<DemoAppOptions> = {}) {
  return buildWith(t, options, buildDemoApp)
}
