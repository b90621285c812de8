// The few mocha globals the widget tests use (web-test-runner provides mocha in the browser).
type MochaFn = (this: { timeout(ms: number): void; skip(): never }) => unknown
declare function describe(title: string, fn: () => void): void
declare function it(title: string, fn: MochaFn): void
declare namespace it {
  function only(title: string, fn: MochaFn): void
  function skip(title: string, fn: MochaFn): void
}
declare function before(fn: MochaFn): void
declare function after(fn: MochaFn): void
declare function beforeEach(fn: MochaFn): void
declare function afterEach(fn: MochaFn): void
