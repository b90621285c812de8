import type autocannon from 'autocannon'

/** What each benchmark keeps of an autocannon run. */
export interface LoadFigures { requestsPerSecond: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number; requests: number }

export function loadFigures(result: autocannon.Result): LoadFigures {
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
  }
}

/** `measured` ÷ `baseline` requests per second, to three places. */
export function ratio(measured: LoadFigures, baseline: LoadFigures): number {
  return Math.round((measured.requestsPerSecond / baseline.requestsPerSecond) * 1000) / 1000
}
