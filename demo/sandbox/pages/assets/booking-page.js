// Page script of the offline Cal.com booking pages. Two jobs: step through date → time → form
// without reloading, and, inside an iframe made by Cal.com's embed.js, speak its postMessage
// protocol the way Cal.com's own booking page does (calcom-contract/embed-protocol.md §3–§4).
/* global window, document, location, history, URLSearchParams, FormData, fetch, getComputedStyle, ResizeObserver */
;(function () {
  'use strict'
  var root = document.documentElement
  var params = new URLSearchParams(location.search)

  // §3.3: the namespace is the `embed` parameter (even empty), else window.name, else "" on an
  // /embed path. A page that is the top window is a normal booking site and posts nothing.
  var namespace = null
  if (params.has('embed')) namespace = params.get('embed') || ''
  else if (window.name.indexOf('cal-embed=') === 0) namespace = window.name.slice('cal-embed='.length)
  else if (/\/embed\/?$/.test(location.pathname)) namespace = ''
  var embedded = namespace !== null && window.top !== window && params.get('preload') !== 'true'
  var prerendering = params.get('prerender') === 'true'

  function post(type, data) {
    if (!embedded) return
    window.parent.postMessage(
      { originator: 'CAL', type: type, namespace: namespace, fullType: 'CAL:' + namespace + ':' + type, data: data || {} },
      '*',
    )
  }

  if (embedded) root.classList.add('embed')
  else root.classList.remove('embed', 'embed-pending')

  var main = document.querySelector('.main') || document.querySelector('main') || root
  var liveError = document.getElementById('form-error')

  function showError(message) {
    if (!liveError) return
    liveError.textContent = ''
    // A fresh text node after clearing makes screen readers announce a repeated message too.
    window.setTimeout(function () { liveError.textContent = message }, 30)
  }

  // ---- the embed handshake -------------------------------------------------------------------

  var status = root.getAttribute('data-page-status') || '200'
  var firstDimensionSent = false
  var parentReady = false
  var linkReadySent = false
  var lastHeight = 0
  var lastWidth = 0

  function reveal() { root.classList.remove('embed-pending') }

  function sendLinkReady() {
    if (linkReadySent || prerendering) return
    linkReadySent = true
    reveal()
    post('linkReady', {})
    if (root.hasAttribute('data-route-changed')) post('__routeChanged', {})
  }

  function measure() {
    var style = getComputedStyle(main)
    var height = main === root
      ? root.scrollHeight
      : Math.ceil(main.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom))
    return { height: height, width: Math.ceil(root.scrollWidth) }
  }

  function sendDimensions() {
    var size = measure()
    if (!size.height || (firstDimensionSent && size.height === lastHeight && size.width === lastWidth)) return
    lastHeight = size.height
    lastWidth = size.width
    post('__dimensionChanged', { iframeHeight: size.height, iframeWidth: size.width, isFirstTime: !firstDimensionSent })
    if (!firstDimensionSent) {
      firstDimensionSent = true
      if (parentReady) sendLinkReady()
    }
  }

  function applyTheme(theme) {
    if (theme === 'dark' || theme === 'light') root.setAttribute('data-theme', theme)
    else if (theme === 'auto') root.removeAttribute('data-theme')
    applyCssVars()
  }

  var cssVarsPerTheme = null
  function currentTheme() {
    var t = root.getAttribute('data-theme')
    if (t) return t
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
  }
  function applyCssVars() {
    if (!cssVarsPerTheme) return
    var vars = cssVarsPerTheme[currentTheme()] || {}
    Object.keys(vars).forEach(function (name) {
      root.style.setProperty('--' + name.replace(/^--/, ''), String(vars[name]))
    })
  }

  // Parent → page `ui` (embed-iframe.ts methods.ui). Styles go through CSSOM, so the page's own
  // strict CSP (no inline styles) still allows them.
  function applyUi(ui) {
    if (!ui || typeof ui !== 'object') return
    if (typeof ui.theme === 'string') applyTheme(ui.theme)
    if (typeof ui.colorScheme === 'string') root.style.colorScheme = ui.colorScheme
    if (ui.cssVarsPerTheme && typeof ui.cssVarsPerTheme === 'object') { cssVarsPerTheme = ui.cssVarsPerTheme; applyCssVars() }
    var styles = ui.styles || {}
    if (styles.branding && styles.branding.brandColor) root.style.setProperty('--cal-brand', styles.branding.brandColor)
    if (styles.body && styles.body.background) document.body.style.background = styles.body.background
    if (typeof ui.hideEventTypeDetails === 'boolean') root.classList.toggle('hide-details', ui.hideEventTypeDetails)
    if (typeof ui.layout === 'string') root.setAttribute('data-layout', ui.layout)
  }

  // `connect` (a prerendered modal being opened) carries the flat config: prefill it, then ready.
  function applyConnect(arg) {
    if (arg && typeof arg === 'object') {
      ;['name', 'email', 'notes'].forEach(function (key) {
        var field = document.getElementById('field-' + key)
        if (field && typeof arg[key] === 'string') field.value = arg[key]
      })
      if (typeof arg.theme === 'string') applyTheme(arg.theme)
      if (typeof arg['ui.color-scheme'] === 'string') root.style.colorScheme = arg['ui.color-scheme']
    }
    prerendering = false
    linkReadySent = false
    if (firstDimensionSent) sendLinkReady()
    else parentReady = true
  }

  if (params.get('ui.color-scheme')) root.style.colorScheme = params.get('ui.color-scheme')

  if (embedded) {
    window.addEventListener('message', function (event) {
      var msg = event.data
      if (!msg || typeof msg !== 'object' || msg.originator !== 'CAL' || event.source !== window.parent) return
      if (msg.method === 'parentKnowsIframeReady') {
        parentReady = true
        if (firstDimensionSent) sendLinkReady()
      } else if (msg.method === 'ui') applyUi(msg.arg)
      else if (msg.method === 'connect') applyConnect(msg.arg)
    })

    post('__iframeReady', {})

    if (status !== '200') {
      // What Cal.com's own error pages do: say so once, show nothing, send nothing more.
      root.classList.add('embed-failed')
      post('linkFailed', { code: status, msg: 'Problem loading the link', data: { url: document.URL } })
      return
    }

    var started = false
    var startSizing = function () {
      if (started) return
      started = true
      post('__windowLoadComplete', {})
      sendDimensions()
      if (window.ResizeObserver) new ResizeObserver(sendDimensions).observe(main)
      window.addEventListener('resize', sendDimensions)
    }
    if (document.readyState === 'complete') startSizing()
    else window.addEventListener('load', startSizing)

    // A click on the background around the booker closes a modal (embed-iframe.ts does the same).
    document.addEventListener('click', function (event) {
      if (event.target === root || event.target === document.body) post('__closeIframe', {})
    })
    if (params.get('embedType') === 'modal' && main !== root) {
      var close = document.createElement('button')
      close.type = 'button'
      close.className = 'close'
      close.textContent = 'Close'
      close.addEventListener('click', function () { post('__closeIframe', {}) })
      main.insertBefore(close, main.firstChild)
    }
  }

  // ---- profile page: choosing an event type ------------------------------------------------

  document.querySelectorAll('a[data-event-type]').forEach(function (link) {
    link.addEventListener('click', function () {
      try { post('eventTypeSelected', { eventType: JSON.parse(link.getAttribute('data-event-type')) }) } catch {}
    })
  })

  // ---- event page: date → time → details ----------------------------------------------------

  function setPressed(buttons, chosen) {
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b === chosen)) })
  }

  function chooseDate(button) {
    var date = button.value
    setPressed(document.querySelectorAll('button[name="date"]'), button)
    var hint = document.getElementById('times-hint')
    if (hint) hint.hidden = true
    var shown = null
    document.querySelectorAll('[data-times-for]').forEach(function (block) {
      block.hidden = block.getAttribute('data-times-for') !== date
      if (!block.hidden) shown = block
    })
    var details = document.getElementById('details')
    if (details) details.hidden = true
    rememberState({ date: date, slot: null })
    if (shown) shown.querySelector('[tabindex="-1"]').focus()
  }

  function chooseSlot(button) {
    setPressed(document.querySelectorAll('button[name="slot"]'), button)
    var details = document.getElementById('details')
    if (!details) return
    document.getElementById('field-start').value = button.value
    document.getElementById('chosen-slot').textContent = button.getAttribute('data-label')
    details.hidden = false
    rememberState({ slot: button.value })
    showError('')
    document.getElementById('details-heading').focus()
  }

  // Keeps the URL in step (Cal's booker does too) so a reload shows the same step.
  function rememberState(changes) {
    var next = new URLSearchParams(location.search)
    Object.keys(changes).forEach(function (k) { if (changes[k] === null) next.delete(k); else next.set(k, changes[k]) })
    history.replaceState(null, '', location.pathname + '?' + next.toString())
  }

  // The date and slot buttons submit GET forms, so the page works without this script; with it,
  // the step changes in place.
  document.addEventListener('submit', function (event) {
    var form = event.target
    var submitter = event.submitter
    if (form.classList.contains('pick') && submitter) {
      event.preventDefault()
      if (submitter.name === 'date') chooseDate(submitter)
      else if (submitter.name === 'slot') chooseSlot(submitter)
      return
    }
    if (form.hasAttribute('data-post')) {
      event.preventDefault()
      submitJson(form, submitter)
    }
  })

  var change = document.getElementById('change-time')
  if (change) change.addEventListener('click', function () {
    var details = document.getElementById('details')
    details.hidden = true
    rememberState({ slot: null })
    var pressed = document.querySelector('button[name="slot"][aria-pressed="true"]')
    if (pressed) pressed.focus()
  })

  var tz = document.getElementById('field-timeZone')
  if (tz) { try { tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || tz.value } catch {} }

  // Booking and cancelling: the server answers JSON with the embed events to fire and where to
  // go next. Cal's booker posts bookingSuccessful(V2) first, then moves to the success page.
  function submitJson(form, submitter) {
    var button = submitter || form.querySelector('button[type="submit"]')
    if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true') }
    var body = new URLSearchParams(new FormData(form))
    fetch(form.action, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })
      .then(function (res) {
        return res.json().then(function (json) { return { ok: res.ok, json: json } }, function () { return { ok: false, json: null } })
      })
      .then(function (result) {
        if (!result.ok || !result.json || !result.json.location) {
          var message = result.json && result.json.error && result.json.error.message
          throw new Error(message || 'Something went wrong. Please try again.')
        }
        ;(result.json.events || []).forEach(function (e) { post(e.type, e.data) })
        location.assign(result.json.location)
      })
      .catch(function (err) {
        if (button) { button.disabled = false; button.removeAttribute('aria-busy') }
        showError(err && err.message && err.message !== 'Failed to fetch' ? err.message : 'Could not reach the booking service. Please try again.')
      })
  }
})()
