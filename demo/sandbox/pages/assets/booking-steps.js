// The booking pages' steps (date → time → form) without reloading, and the booking and cancel
// posts, whose answer names the embed events to fire. Every step also works without this script:
// the date and time buttons submit GET forms and the booking form posts normally.
/* global window, document, location, history, URLSearchParams, FormData, fetch */
;(function () {
  'use strict'
  var bridge = window.calSandboxPage || { post: function () {} }
  var post = bridge.post
  var liveError = document.getElementById('form-error')

  function showError(message) {
    if (!liveError) return
    liveError.textContent = ''
    // A fresh text node after clearing makes screen readers announce a repeated message too.
    window.setTimeout(function () { liveError.textContent = message }, 30)
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
