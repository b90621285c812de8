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

/** The signed-in member, as `GET /v1/member` vouches for them. */
export interface MemberInfo {
  email: string
  name: string | undefined
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

/** The server that served this script: where a pasted tag finds its API without being told. */
export const scriptOrigin = new URL(import.meta.url).origin

async function json(fetchFn: FetchLike, api: string, path: string, init: RequestInit): Promise<any> {
  const url = api.replace(/\/+$/, '') + path
  let response: Response
  try {
    response = await fetchFn(url, init)
  } catch (err) {
    throw new Error(`${url} could not be reached`, { cause: err })
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  return response.json()
}

export async function fetchHostInfo(fetchFn: FetchLike, api: string, username: string, signal?: AbortSignal): Promise<HostInfo> {
  const body = await json(fetchFn, api, `/v1/hosts/${encodeURIComponent(username)}`, { signal, headers: { accept: 'application/json' } })
  for (const key of ['calLink', 'calOrigin', 'embedJsUrl'] as const) {
    if (typeof body?.[key] !== 'string') throw new Error(`the host information gave no ${key}`)
  }
  return body as HostInfo
}

/**
 * Asks the server who the signed-in member is (`GET /v1/member`): the name and email to pre-fill.
 * It only verifies the assertion: no Cal.com call, no managed user, no token in the browser.
 */
export async function fetchMember(fetchFn: FetchLike, api: string, assertion: string, signal?: AbortSignal): Promise<MemberInfo> {
  const body = await json(fetchFn, api, '/v1/member', {
    signal,
    headers: { accept: 'application/json', 'x-churchhub-member': assertion },
  })
  if (typeof body?.email !== 'string') throw new Error('the member answer has no email')
  return { email: body.email, name: typeof body.name === 'string' ? body.name : undefined }
}
