import t from 'tap'
import { Batcher } from '../batcher.js'

/** A run that records its inputs and answers (each input doubled) or fails when told to. */
function controlledRun() {
  const runs: { inputs: number[]; answer: () => void; fail: (error: Error) => void }[] = []
  const run = (inputs: number[]) => new Promise<number[]>((resolve, reject) => {
    runs.push({ inputs, answer: () => resolve(inputs.map((n) => n * 2)), fail: reject })
  })
  return { runs, run }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

t.test('calls made in the same turn share one run, each answered with its own output', async (t) => {
  const { runs, run } = controlledRun()
  const batcher = new Batcher(run)
  const answers = Promise.all([batcher.call(1), batcher.call(2), batcher.call(1), batcher.call(3)])
  await turn()
  t.equal(runs.length, 1)
  t.same(runs[0]!.inputs, [1, 2, 1, 3], 'in the order they were made')
  runs[0]!.answer()
  t.same(await answers, [2, 4, 2, 6])
})

t.test('a call made after a run started waits for a run of its own', async (t) => {
  const { runs, run } = controlledRun()
  const batcher = new Batcher(run)
  const first = batcher.call(1)
  await turn()
  const second = batcher.call(5)
  await turn()
  t.equal(runs.length, 2, 'the first run may predate the second call, so it is not reused')
  runs[1]!.answer()
  runs[0]!.answer()
  t.equal(await first, 2)
  t.equal(await second, 10)
})

t.test('while maxInFlight runs are going, calls gather for the next one', async (t) => {
  const { runs, run } = controlledRun()
  const batcher = new Batcher(run, { maxInFlight: 1 })
  const first = batcher.call(1)
  await turn()
  const waiting = [batcher.call(2), batcher.call(3)]
  await turn()
  await turn()
  t.equal(runs.length, 1, 'nothing more is sent while the one slot is busy')
  runs[0]!.answer()
  await first
  await turn()
  t.equal(runs.length, 2)
  t.same(runs[1]!.inputs, [2, 3], 'everything asked meanwhile goes in one run')
  runs[1]!.answer()
  t.same(await Promise.all(waiting), [4, 6])
})

t.test('a run takes at most maxBatch calls', async (t) => {
  const { runs, run } = controlledRun()
  const batcher = new Batcher(run, { maxBatch: 2 })
  const all = Promise.all([1, 2, 3, 4, 5].map((n) => batcher.call(n)))
  await turn()
  t.same(runs.map((r) => r.inputs), [[1, 2], [3, 4], [5]])
  for (const r of runs) r.answer()
  t.same(await all, [2, 4, 6, 8, 10])
})

t.test('a failed run fails every call in it, and the next run is unaffected', async (t) => {
  const { runs, run } = controlledRun()
  const batcher = new Batcher(run)
  const failed = [batcher.call(1), batcher.call(2)]
  await turn()
  runs[0]!.fail(new Error('connection lost'))
  for (const call of failed) await t.rejects(call, /connection lost/)
  const next = batcher.call(1)
  await turn()
  runs[1]!.answer()
  t.equal(await next, 2)
})

t.test('a run that answers too few outputs fails its calls instead of leaving some unanswered', async (t) => {
  const batcher = new Batcher(async (inputs: number[]) => inputs.slice(1))
  const calls = [batcher.call(1), batcher.call(2)]
  for (const call of calls) await t.rejects(call, /2 calls was answered with 1/)
})
