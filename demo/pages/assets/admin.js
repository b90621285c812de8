/* global document, window, sessionStorage, fetch, setTimeout, clearTimeout */
// The demo admin page: polls the admin routes and shows bookings and the audit log as they arrive.
// The sandbox page carries the development admin key in a <meta>; outside sandbox mode the key is
// asked for and kept only in this tab's sessionStorage.

const POLL_MS = 1500
const LIMIT = 25
const STORAGE_KEY = 'churchhub-admin-key'

const $ = (id) => document.getElementById(id)
const seen = { bookings: new Set(), audit: new Set() }
let firstLoad = true
let timer

function adminKey() {
  const meta = document.querySelector('meta[name="churchhub-admin-key"]')
  return meta?.content || sessionStorage.getItem(STORAGE_KEY) || ''
}

function setStatus(text, isError = false) {
  const status = $('status')
  status.textContent = text
  status.classList.toggle('is-error', isError)
}

/** The list inside a page of results, whatever the route calls it. */
function itemsOf(body) {
  if (Array.isArray(body)) return body
  for (const key of ['items', 'data', 'bookings', 'entries', 'audit', 'rows']) {
    if (Array.isArray(body?.[key])) return body[key]
  }
  return []
}

const pick = (row, ...names) => names.map((n) => row?.[n]).find((v) => v !== undefined && v !== null && v !== '')

function when(value) {
  if (!value) return ''
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

function cell(text, className) {
  const td = document.createElement('td')
  if (className) td.className = className
  if (text instanceof window.Node) td.append(text)
  else td.textContent = text ?? ''
  return td
}

function badge(status) {
  const span = document.createElement('span')
  const value = String(status ?? '').toLowerCase()
  span.className = `badge badge--${value.replace(/[^a-z]/g, '')}`
  span.textContent = value || 'unknown'
  return span
}

function mono(text) {
  const code = document.createElement('code')
  code.textContent = text ?? ''
  return code
}

function attendeeOf(row) {
  const attendee = row.attendee && typeof row.attendee === 'object' ? row.attendee : {}
  const name = pick(row, 'attendeeName', 'attendee_name') ?? attendee.name
  const email = pick(row, 'attendeeEmail', 'attendee_email') ?? attendee.email
  return [name, email && `<${email}>`].filter(Boolean).join(' ')
}

function bookingRow(row) {
  const tr = document.createElement('tr')
  tr.dataset.uid = pick(row, 'uid') ?? ''
  tr.append(
    cell(when(pick(row, 'startTime', 'start_time', 'start'))),
    cell(pick(row, 'title', 'eventType', 'event_type') ?? ''),
    cell(pick(row, 'hostUsername', 'host_username', 'host') ?? ''),
    cell(attendeeOf(row)),
    cell(badge(pick(row, 'status'))),
    cell(mono(pick(row, 'uid'))),
  )
  return tr
}

function auditRow(row) {
  const tr = document.createElement('tr')
  const detail = row.detail && typeof row.detail === 'object' ? JSON.stringify(row.detail) : (row.detail ?? '')
  tr.append(
    cell(when(pick(row, 'at', 'createdAt', 'created_at'))),
    cell(pick(row, 'actor') ?? ''),
    cell(mono(pick(row, 'action'))),
    cell(mono(pick(row, 'subject'))),
    cell(detail, 'wrap mono'),
  )
  return tr
}

function render(kind, rows, toRow, keyOf) {
  const tbody = $(kind).tBodies[0]
  const trs = rows.map((row) => {
    const tr = toRow(row)
    const key = keyOf(row)
    if (!firstLoad && !seen[kind].has(key)) tr.classList.add('is-new')
    seen[kind].add(key)
    return tr
  })
  tbody.replaceChildren(...trs)
  $(`${kind}-empty`).hidden = rows.length > 0
  $(`${kind}-count`).textContent = rows.length ? `(${rows.length} newest)` : ''
}

async function getJson(path, key) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${key}` }, cache: 'no-store' })
  if (response.status === 401) {
    const error = new Error('The admin key was refused; enter the server\'s ADMIN_API_KEY.')
    error.unauthorized = true
    throw error
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}))
    throw new Error(body?.error?.message ?? `${path} answered ${response.status}.`)
  }
  return response.json()
}

async function poll() {
  const key = adminKey()
  if (!key) return askForKey()
  try {
    const [bookings, audit] = await Promise.all([
      getJson(`/admin/bookings?limit=${LIMIT}`, key),
      getJson(`/admin/audit?limit=${LIMIT}`, key),
    ])
    render('bookings', itemsOf(bookings), bookingRow, (r) => `${pick(r, 'uid')}:${pick(r, 'status')}`)
    render('audit', itemsOf(audit), auditRow, (r) => String(pick(r, 'id') ?? JSON.stringify(r)))
    firstLoad = false
    setStatus(`Updated ${new Date().toLocaleTimeString()} · refreshing every ${POLL_MS / 1000} s`)
  } catch (error) {
    if (error.unauthorized && !document.querySelector('meta[name="churchhub-admin-key"]')) {
      sessionStorage.removeItem(STORAGE_KEY)
      return askForKey(error.message)
    }
    setStatus(`Could not refresh: ${error.message} Retrying…`, true)
  }
  timer = setTimeout(poll, POLL_MS)
}

function askForKey(message = 'Enter the admin API key to see bookings.') {
  clearTimeout(timer)
  $('key-form').hidden = false
  setStatus(message, Boolean(message) && message !== 'Enter the admin API key to see bookings.')
  $('admin-key').focus()
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const value = $('admin-key').value.trim()
  if (!value) return
  sessionStorage.setItem(STORAGE_KEY, value)
  $('admin-key').value = ''
  $('key-form').hidden = true
  firstLoad = true
  poll()
})

poll()
