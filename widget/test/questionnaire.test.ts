import { expect, fixture, html, oneEvent } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import { type Booking, bookInFrame, calRequests, frameState, iframeOf, modalBoxes, namespaceOf, ready, sandbox, sandboxBooking, settle, trackRequests, trackedRequests, waitUntil } from './helpers.js'

const questionnaireOf = (el: Booking) => el.shadowRoot!.querySelector('churchhub-questionnaire')
const inside = (el: Booking) => questionnaireOf(el)!.shadowRoot!

async function formShown(el: Booking) {
  await waitUntil(() => questionnaireOf(el)?.shadowRoot?.querySelector('form'), 'the questions show')
  return inside(el)
}

describe('<churchhub-booking form>: the questions before the calendar', () => {
  it('asks first, loads nothing of Cal.com before the answers, and ties each error to its field', async () => {
    const { url } = await sandbox()
    await trackRequests()
    const el = await fixture<Booking>(html`<churchhub-booking form="first-visit" username="zack" event="30min"></churchhub-booking>`)
    const root = await formShown(el)
    expect(root.querySelector('h2')!.textContent).to.equal('Talk with us')
    expect([...root.querySelectorAll('legend, label[for]')].map((l) => l.textContent!.trim())).to.deep.equal([
      'What would you like to talk about? (required)', 'Is there anything you would like the pastor to know first?',
    ])
    await expect(el).to.be.accessible()

    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click()
    await waitUntil(() => root.querySelector('[role=alert]')!.textContent, 'the problem is announced')
    expect(root.querySelector('[role=alert]')!.textContent).to.equal('Please check the answers marked below.')
    const radios = [...root.querySelectorAll<HTMLInputElement>('input[name=topic]')]
    expect(radios.map((r) => r.getAttribute('aria-invalid'))).to.deep.equal(['true', 'true', 'true'])
    const group = root.querySelector('fieldset')!
    expect(root.getElementById(group.getAttribute('aria-describedby')!)!.textContent).to.equal('Please answer this question.')
    expect(root.activeElement).to.equal(radios[0], 'the keyboard is taken to the first question to fix')
    await expect(el).to.be.accessible()
    expect(calRequests(await trackedRequests(), url)).to.deep.equal([], 'no Cal.com request before the answers')
  })

  it('keyboard only: answer, continue, the routed calendar opens pre-filled with the response id; Back keeps the answers', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking form="first-visit" username="zack" event="30min"></churchhub-booking>`)
    const root = await formShown(el)
    root.querySelector<HTMLInputElement>('input[name=topic]')!.focus()
    await sendKeys({ press: 'ArrowDown' }) // radios: the arrow moves to "Youth and family" and checks it
    await sendKeys({ press: 'Tab' })
    await sendKeys({ type: 'My son is struggling' })
    const shown = ready(el)
    await sendKeys({ press: 'Tab' })
    await sendKeys({ press: 'Enter' })
    await shown
    const state = await frameState(namespaceOf(iframeOf(el)!))
    const params = new URL(state.url).searchParams
    expect(new URL(state.url).pathname).to.equal('/sandbox/cal/maria/30min/embed')
    expect(params.get('notes')).to.equal('Youth and family')
    expect(params.get('metadata[churchhubResponse]')).to.match(/^r_[\w-]{22}$/)
    expect(state.url).not.to.contain('struggling')
    const back = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=back-button]')!
    expect(back.textContent).to.equal('Back to the questions')
    expect(el.shadowRoot!.activeElement).to.equal(back)
    await sendKeys({ press: 'Enter' })
    await waitUntil(() => questionnaireOf(el)?.isConnected, 'the questions are back')
    expect(iframeOf(el)).to.equal(null, 'the calendar is gone')
    expect(root.querySelector<HTMLInputElement>('input[value=youth]')!.checked).to.equal(true)
    expect(root.querySelector('textarea')!.value).to.equal('My son is struggling')
  })

  it('lang="es": Spanish questions, errors and buttons', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking form="first-visit" username="zack" lang="es"></churchhub-booking>`)
    const root = await formShown(el)
    expect(root.querySelector('legend')!.textContent!.trim()).to.equal('¿De qué le gustaría hablar? (obligatoria)')
    expect(root.querySelector('button[type=submit]')!.textContent).to.equal('Continuar al calendario')
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click()
    await waitUntil(() => root.querySelector('.error'), 'the error shows')
    expect(root.querySelector('.error')!.textContent).to.equal('Por favor, responda esta pregunta.')
    expect(root.querySelector('[role=alert]')!.textContent).to.equal('Revise las respuestas marcadas abajo.')
    await expect(el).to.be.accessible()
  })

  it('popup: the questions open in a dialog, then the routed calendar in the modal; booking carries the response id', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking form="first-visit" username="zack" mode="popup" brand-color="#7c2d12"></churchhub-booking>`)
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=button]')!.click()
    const root = await formShown(el)
    await waitUntil(() => root.querySelector('dialog')?.open, 'the dialog opens')
    expect(getComputedStyle(root.querySelector('button[type=submit]')!).backgroundColor).to.equal('rgb(124, 45, 18)', 'the church\'s brand colour')
    await expect(el).to.be.accessible()
    root.querySelector<HTMLInputElement>('input[value=grief]')!.click()
    const shown = ready(el)
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click()
    await shown
    expect(root.querySelector('dialog')!.open).to.equal(false)
    const frame = document.querySelector<HTMLIFrameElement>('cal-modal-box iframe') ?? iframeOf(el)!
    expect(new URL(frame.src).pathname).to.equal('/sandbox/cal/zack/60min/embed')
    const done = oneEvent(el, 'churchhub-booking-successful')
    await bookInFrame(namespaceOf(frame), { name: 'Ruth Reader', email: 'ruth@example.org' })
    const { uid } = (await done).detail
    const stored = await sandboxBooking(uid)
    expect(stored.metadata.churchhubResponse).to.match(/^r_[\w-]{22}$/)
    await settle(50)
  })

  it('popup, keyboard only: closing the calendar leads back to the questions, answered as before, on the next press of the button', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking form="first-visit" username="zack" mode="popup"></churchhub-booking>`)
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=button]')!
    button.focus()
    await sendKeys({ press: 'Enter' })
    const root = await formShown(el)
    await waitUntil(() => root.querySelector('dialog')?.open, 'the dialog opens')
    await waitUntil(() => root.activeElement?.matches('input[name=topic]'), 'once loaded, the keyboard is on the first question')
    await sendKeys({ press: 'Space' }) // "Grief and loss", the first choice
    await sendKeys({ press: 'Tab' })
    await sendKeys({ type: 'Since March' })
    let shown = ready(el)
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.focus()
    await sendKeys({ press: 'Enter' })
    await shown
    const firstResponse = new URL(modalBoxes()[0]!.querySelector('iframe')!.src).searchParams.get('metadata[churchhubResponse]')

    // The booking page's own first control, in the modal, is its Close button.
    await sendKeys({ press: 'Tab' })
    await sendKeys({ press: 'Enter' })
    await waitUntil(() => el.shadowRoot!.activeElement === button, 'focus is back on the button', { timeout: 5000 })
    await sendKeys({ press: 'Enter' })
    await waitUntil(() => root.querySelector('dialog')?.open, 'the questions open again, not the calendar')
    expect(modalBoxes().filter((b) => b.style.visibility !== 'hidden'), 'no calendar over the questions').to.have.length(0)
    expect(root.querySelector<HTMLInputElement>('input[value=grief]')!.checked).to.equal(true)
    expect(root.querySelector('textarea')!.value).to.equal('Since March')
    expect(root.activeElement === root.querySelector('input[name=topic]'), 'the keyboard is on the first question').to.equal(true)
    await expect(el).to.be.accessible()

    shown = ready(el)
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.focus()
    await sendKeys({ press: 'Enter' })
    await shown
    const boxes = modalBoxes()
    expect(boxes).to.have.length(1)
    const frame = boxes[0]!.querySelector('iframe')!
    expect(new URL(frame.src).pathname).to.equal('/sandbox/cal/zack/60min/embed')
    expect(new URL(frame.src).searchParams.get('metadata[churchhubResponse]')).to.match(/^r_[\w-]{22}$/).and.not.equal(firstResponse)
    el.remove()
  })
})
