import type { ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { CAL_EXCEPTIONS, calErrorBody } from './api/cal-errors.js'

/** An HTTP status to answer with (500, 429 with Retry-After, 498, 403, 502, 503, …), or a broken connection. */
export type FaultKind = number | 'hang' | 'drop'

export interface FaultSpec {
  /**
   * Path below the sandbox mount, without the query string, e.g. `/v2/oauth/*\/refresh`, `/embed/embed.js`,
   * `/zack/*`. `*` matches any run of characters (slashes included); the whole path must match.
   */
  path: string
  /** Paths matching any of these patterns are left alone. */
  except?: string[]
  /** Only this method (any when omitted). */
  method?: string
  fault: FaultKind
  /** Fail only the next N matching calls; omitted = every matching call until cleared. */
  times?: number
  /** Seconds sent in Retry-After with a 429 (default 1) or a 503 (when given). */
  retryAfterSeconds?: number
  /** For `hang`: close the connection after this long without answering (default: when the sandbox closes). */
  hangMs?: number
}

export interface ActiveFault extends FaultSpec {
  id: number
  /** How many calls this fault has answered so far. */
  hits: number
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  return new RegExp(`^${escaped}$`)
}

/** Failures on demand, consulted by an onRequest hook before any sandbox route runs. */
export class Faults {
  #faults: (ActiveFault & { re: RegExp; exceptRe: RegExp[] })[] = []
  #nextId = 1
  #hung = new Set<ServerResponse>()

  /** Arms a fault; returns it (its `hits` count goes up as calls meet it). */
  add(spec: FaultSpec): ActiveFault {
    const fault = { ...spec, id: this.#nextId++, hits: 0, re: patternToRegExp(spec.path), exceptRe: (spec.except ?? []).map(patternToRegExp) }
    this.#faults.push(fault)
    return fault
  }

  /** Makes embed.js fail to load (default: 500). */
  failEmbedJs(fault: FaultKind = 500, times?: number): ActiveFault {
    return this.add({ path: '/embed/embed.js', fault, ...(times === undefined ? {} : { times }) })
  }

  /** Makes a host's booking pages (every host's when `username` is omitted) fail to load (default: 500). */
  failBookingPage(username?: string, fault: FaultKind = 500, times?: number): ActiveFault {
    return this.add({
      path: username ? `/${username}*` : '/*',
      // Without a username, only pages: not the API, embed.js, the pages' own assets or the controls.
      ...(username ? {} : { except: ['/v2/*', '/embed/*', '/_*'] }),
      method: 'GET',
      fault,
      ...(times === undefined ? {} : { times }),
    })
  }

  remove(id: number) { this.#faults = this.#faults.filter((f) => f.id !== id) }

  clear() { this.#faults = [] }

  list(): ActiveFault[] {
    return this.#faults.map(({ re: _re, exceptRe: _exceptRe, ...fault }) => fault)
  }

  /** The fault that answers this call, counting it against `times`. */
  take(method: string, path: string): ActiveFault | undefined {
    const fault = this.#faults.find((f) => (!f.method || f.method.toUpperCase() === method) && f.re.test(path) && !f.exceptRe.some((re) => re.test(path)))
    if (!fault) return undefined
    fault.hits++
    if (fault.times !== undefined && fault.hits >= fault.times) this.remove(fault.id)
    return fault
  }

  /** Answers (or breaks) the call per `fault`. */
  async apply(fault: ActiveFault, request: FastifyRequest, reply: FastifyReply, path: string, now: Date) {
    // Destroying the response closes the socket on a real connection and fails app.inject alike.
    if (fault.fault === 'drop') {
      reply.hijack()
      reply.raw.destroy()
      return
    }
    if (fault.fault === 'hang') {
      reply.hijack()
      const response = reply.raw
      this.#hung.add(response)
      response.once('close', () => this.#hung.delete(response))
      if (fault.hangMs !== undefined) setTimeout(() => response.destroy(), fault.hangMs).unref()
      return
    }
    const status = fault.fault
    const { code, message } = CAL_EXCEPTIONS[status] ?? { code: 'HttpException', message: `Sandbox fault ${status}` }
    if (status === 429 || fault.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(fault.retryAfterSeconds ?? 1))
    }
    return reply.code(status).send(calErrorBody({ status, code, message, path, now, details: status !== 498 }))
  }

  /** Ends every hung connection, so closing the server does not wait on them. */
  releaseHung() {
    for (const response of this.#hung) response.destroy()
    this.#hung.clear()
  }
}
