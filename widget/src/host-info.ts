/** `GET /v1/hosts/:username`: where a host's booking page lives. */
export interface HostInfo {
  username: string
  name: string
  /** e.g. `zack` or `team/youth`: the path of the booking page on `calOrigin`. */
  calLink: string
  calOrigin: string
  embedJsUrl: string
  eventTypes: { slug: string; title: string; length: number }[]
}

/** The part of the member's managed user the element uses (the token itself is never kept). */
export interface MemberInfo {
  email: string
  name: string | undefined
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

/** The server that served this script: where a pasted tag finds its API without being told. */
export const scriptOrigin = new URL(import.meta.url).origin

export class HostInfoError extends Error {
  constructor(message: string, readonly status: number | undefined) {
    super(message)
    this.name = 'HostInfoError'
  }
}

async function json(fetchFn: FetchLike, url: string, init: RequestInit): Promise<any> {
  let response: Response
  try {
    response = await fetchFn(url, init)
  } catch (err) {
    throw new HostInfoError(`${url} could not be reached: ${(err as Error).message}`, undefined)
  }
  if (!response.ok) throw new HostInfoError(`${url} answered ${response.status}`, response.status)
  return response.json()
}

export async function fetchHostInfo(fetchFn: FetchLike, api: string, username: string, signal?: AbortSignal): Promise<HostInfo> {
  const url = `${api.replace(/\/+$/, '')}/v1/hosts/${encodeURIComponent(username)}`
  const body = await json(fetchFn, url, { signal, headers: { accept: 'application/json' } })
  for (const key of ['calLink', 'calOrigin', 'embedJsUrl'] as const) {
    if (typeof body?.[key] !== 'string') throw new HostInfoError(`${url} gave no ${key}`, undefined)
  }
  return body as HostInfo
}

/** The name claim of a member assertion (a JWS the church site signed); display only, never trusted. */
function assertionName(assertion: string): string | undefined {
  try {
    const payload = assertion.split('.')[1] ?? ''
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))
    return typeof claims.name === 'string' ? claims.name : undefined
  } catch {
    return undefined
  }
}

/** Asks the server for the signed-in member's managed user: the email to pre-fill comes from there. */
export async function fetchMember(fetchFn: FetchLike, api: string, assertion: string, signal?: AbortSignal): Promise<MemberInfo> {
  const url = `${api.replace(/\/+$/, '')}/tokens/cal/managed-user`
  const body = await json(fetchFn, url, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', 'x-churchhub-member': assertion },
    body: '{}',
  })
  if (typeof body?.user?.email !== 'string') throw new HostInfoError(`${url} gave no user email`, undefined)
  return { email: body.user.email, name: assertionName(assertion) }
}
