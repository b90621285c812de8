/* global document, window, sessionStorage, fetch, setTimeout, clearTimeout */
// The demo admin page: polls the admin routes and shows bookings and the audit log as they arrive.
// The sandbox page carries the development admin key in a <meta>; outside sandbox mode the key is
// asked for and kept only in this tab's sessionStorage.
//
// Every read of /admin/bookings is itself audited (it hands out attendee emails), so the page
// polls the audit log and reads the bookings again only when something new was audited; polling
// both would add an audit row every 1.5 s for as long as the page is open.

const POLL_MS = 1500
const LIMIT = 25
const STORAGE_KEY = 'churchhub-admin-key'
const OWN_READ = 'bookings.listed'

const $ = (id) => document.getElementById(id)
const seen = { bookings: new Set(), audit: new Set() }
let firstLoad = { bookings: true, audit: true }
let lastChange = -1
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

function bookingRow(row) {
  const tr = document.createElement('tr')
  const attendee = [row.attendee?.name, row.attendee?.email && `<${row.attendee.email}>`].filter(Boolean).join(' ')
  tr.append(
    cell(when(row.startTime)),
    cell(row.title ?? row.eventType ?? '', 'wrap'),
    cell(row.host?.username ?? ''),
    cell(attendee, 'wrap'),
    cell(badge(row.status)),
    cell(mono(row.uid)),
  )
  return tr
}

function auditRow(row) {
  const tr = document.createElement('tr')
  const detail = Object.keys(row.detail ?? {}).length ? JSON.stringify(row.detail) : ''
  tr.append(
    cell(when(row.at)),
    cell(row.actor),
    cell(mono(row.action)),
    cell(mono(row.subject)),
    cell(detail, 'wrap mono detail'),
  )
  return tr
}

function render(kind, rows, toRow, keyOf) {
  const tbody = $(kind).tBodies[0]
  const trs = rows.map((row) => {
    const tr = toRow(row)
    const key = keyOf(row)
    if (!firstLoad[kind] && !seen[kind].has(key)) tr.classList.add('is-new')
    seen[kind].add(key)
    return tr
  })
  tbody.replaceChildren(...trs)
  firstLoad[kind] = false
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

function hostRow(host) {
  const tr = document.createElement('tr')
  const c = host.connection
  const last = c?.lastReconcile
  const error = c?.lastError
  tr.append(
    cell(`${host.name} (${host.username})`, 'wrap'),
    cell(c ? `${c.method === 'oauth' ? 'OAuth' : 'API key'} as ${c.calUsername}` : 'not connected'),
    cell(c ? mono(c.webhookUrl) : ''),
    cell([
      last ? `${when(last.at)}: ${last.fetched} fetched, ${last.created} created, ${last.updated} updated, ${last.unchanged} unchanged` : (c ? 'not yet' : ''),
      error ? `last error ${when(error.at)}: ${error.message}` : '',
    ].filter(Boolean).join(' · '), 'wrap'),
  )
  return tr
}

async function showHosts(key) {
  const { hosts } = await getJson('/admin/hosts', key)
  $('hosts').tBodies[0].replaceChildren(...hosts.map(hostRow))
}

$('reconcile-now').addEventListener('click', async () => {
  const key = adminKey()
  if (!key) return askForKey()
  $('reconcile-now').disabled = true
  $('reconcile-result').textContent = 'Reconciling with Cal.com…'
  try {
    const response = await fetch('/admin/reconcile', { method: 'POST', headers: { authorization: `Bearer ${key}` } })
    const body = await response.json()
    if (!response.ok) throw new Error(body?.error?.message ?? `answered ${response.status}`)
    $('reconcile-result').textContent = body.hosts.map((h) => h.error ? `${h.username}: ${h.error.message}` : `${h.username}: ${h.created} created, ${h.updated} updated, ${h.unchanged} unchanged`).join(' · ') || 'No connected hosts.'
    await showHosts(key)
  } catch (error) {
    $('reconcile-result').textContent = `Could not reconcile: ${error.message}`
  } finally {
    $('reconcile-now').disabled = false
  }
})

async function poll() {
  const key = adminKey()
  if (!key) return askForKey()
  try {
    const { entries } = await getJson(`/admin/audit?limit=${LIMIT}`, key)
    render('audit', entries, auditRow, (r) => String(r.id))
    const change = entries.find((r) => r.action !== OWN_READ)?.id ?? 0
    if (change !== lastChange) {
      const { bookings } = await getJson(`/admin/bookings?limit=${LIMIT}`, key)
      render('bookings', bookings, bookingRow, (r) => `${r.uid}:${r.status}`)
      lastChange = change
      await showHosts(key)
    }
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
  firstLoad = { bookings: true, audit: true }
  lastChange = -1
  poll()
})

poll()
