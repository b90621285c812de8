import { KeyRing } from '../privacy/key-ring.js'

/** A key ring for tests that write through the repository without an app. */
export const testRing = new KeyRing([{ kid: 'test', key: Buffer.alloc(32, 9) }])
