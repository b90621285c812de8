import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Everything any process of a scenario printed, kept whole: the secrets check reads it all, and
 * it is written to disk so a failure can be read afterwards.
 */
export class OutputLog {
  private readonly chunks: string[] = []

  append(source: string, chunk: string | Buffer) {
    const text = String(chunk)
    this.chunks.push(text.split('\n').map((line) => (line ? `[${source}] ${line}` : line)).join('\n'))
  }

  /** A writable sink for pino (`pino(options, log.sink('app'))`). */
  sink(source: string) {
    return { write: (chunk: string) => this.append(source, chunk) }
  }

  /**
   * Also keeps whatever this process itself prints (for a server built in-process), while still
   * printing it. Returns the undo.
   */
  teeProcessOutput(source: string): () => void {
    const streams = [process.stdout, process.stderr] as const
    const originals = streams.map((stream) => stream.write.bind(stream))
    streams.forEach((stream, i) => {
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        this.append(`${source}:${i ? 'err' : 'out'}`, typeof chunk === 'string' ? chunk : Buffer.from(chunk))
        return (originals[i] as (...args: unknown[]) => boolean)(chunk, ...rest)
      }) as typeof stream.write
    })
    return () => streams.forEach((stream, i) => { stream.write = originals[i] as typeof stream.write })
  }

  text(): string {
    return this.chunks.join('')
  }

  writeTo(file: string) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, this.text())
  }
}
