// Inside an iframe made by Cal.com's embed.js, the booking pages speak its postMessage protocol
// the way Cal.com's own booking page does (docs/calcom.md, "The embed"). Opened
// directly, this script only removes the embed classes. booking-steps.js posts through
// `window.calSandboxPage.post`.
/* global window, document, location, URLSearchParams, getComputedStyle, ResizeObserver, setTimeout */
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

  window.calSandboxPage = { post: post }

  if (embedded) root.classList.add('embed')
  else root.classList.remove('embed', 'embed-pending')

  var main = document.querySelector('.main') || document.querySelector('main') || root
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
    return { height: height || 0, width: Math.ceil(root.scrollWidth) || 0 }
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
    // Until a first size has gone out, measure again on a timer as well. The frame stays hidden
    // until linkReady, and Chromium gives a hidden cross-origin frame no rendering updates, so a
    // ResizeObserver (or requestAnimationFrame) in it would not run again: one measurement that
    // came out empty at load would hold linkReady back for good.
    var untilFirstSize = function () {
      sendDimensions()
      if (!firstDimensionSent) setTimeout(untilFirstSize, 100)
    }
    var startSizing = function () {
      if (started) return
      started = true
      post('__windowLoadComplete', {})
      untilFirstSize()
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
})()
