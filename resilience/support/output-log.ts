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

  text(): string {
    return this.chunks.join('')
  }

  writeTo(file: string) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, this.text())
  }
}
