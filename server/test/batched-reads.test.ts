import t from 'tap'
import { BatchedReads } from '../tokens/batched-reads.js'

/** A lookup that records each call and answers when told to. */
function controlledLookup() {
  const calls: { keys: string[]; answer: (found?: Record<string, number>) => void; fail: (error: Error) => void }[] = []
  const lookup = (keys: string[]) => new Promise<Map<string, number>>((resolve, reject) => {
    calls.push({ keys, answer: (found = {}) => resolve(new Map(Object.entries(found))), fail: reject })
  })
  return { calls, lookup }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

t.test('reads made in the same turn share one lookup, each key asked once', async (t) => {
  const { calls, lookup } = controlledLookup()
  const reads = new BatchedReads(lookup)
  const answers = Promise.all([reads.read('a'), reads.read('b'), reads.read('a'), reads.read('c')])
  await turn()
  t.equal(calls.length, 1)
  t.same(calls[0]!.keys, ['a', 'b', 'c'])
  calls[0]!.answer({ a: 1, b: 2 })
  t.same(await answers, [1, 2, 1, undefined], 'a key the lookup did not find reads as undefined')
})

t.test('a read made after a lookup was sent waits for a lookup of its own', async (t) => {
  const { calls, lookup } = controlledLookup()
  const reads = new BatchedReads(lookup)
  const first = reads.read('a')
  await turn()
  const second = reads.read('a')
  await turn()
  t.equal(calls.length, 2, 'the first lookup may predate the second read, so it is not reused')
  calls[1]!.answer({ a: 2 })
  calls[0]!.answer({ a: 1 })
  t.equal(await first, 1)
  t.equal(await second, 2)
})

t.test('while maxInFlight lookups run, reads gather for the next one', async (t) => {
  const { calls, lookup } = controlledLookup()
  const reads = new BatchedReads(lookup, { maxInFlight: 1 })
  const first = reads.read('a')
  await turn()
  const waiting = [reads.read('b'), reads.read('c')]
  await turn()
  await turn()
  t.equal(calls.length, 1, 'nothing more is sent while the one slot is busy')
  calls[0]!.answer({ a: 1 })
  await first
  await turn()
  t.equal(calls.length, 2)
  t.same(calls[1]!.keys, ['b', 'c'], 'everything asked meanwhile goes in one lookup')
  calls[1]!.answer({ b: 2, c: 3 })
  t.same(await Promise.all(waiting), [2, 3])
})

t.test('a batch holds at most maxBatch keys', async (t) => {
  const { calls, lookup } = controlledLookup()
  const reads = new BatchedReads(lookup, { maxBatch: 2 })
  const all = Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => reads.read(k)))
  await turn()
  t.same(calls.map((c) => c.keys), [['a', 'b'], ['c', 'd'], ['e']])
  for (const call of calls) call.answer(Object.fromEntries(call.keys.map((k) => [k, k.charCodeAt(0)])))
  t.same(await all, [97, 98, 99, 100, 101])
})

t.test('a failed lookup fails every read in it, and the next batch is unaffected', async (t) => {
  const { calls, lookup } = controlledLookup()
  const reads = new BatchedReads(lookup)
  const failed = [reads.read('a'), reads.read('b')]
  await turn()
  calls[0]!.fail(new Error('connection lost'))
  for (const read of failed) await t.rejects(read, /connection lost/)
  const next = reads.read('a')
  await turn()
  calls[1]!.answer({ a: 1 })
  t.equal(await next, 1)
})
