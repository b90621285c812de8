import { expect, fixture, html } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import { type Booking, modalBoxes, ready, waitUntil } from './helpers.js'

describe('popup mode with the keyboard only', () => {
  it('Tab reaches the button, Enter opens the booking page with focus in it, closing returns focus to the button', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <a href="#before">Before</a>
      <churchhub-booking username="zack" event="15min" mode="popup" label="Book with Pastor Zack"></churchhub-booking>
    </div>`)
    const el = wrapper.querySelector('churchhub-booking') as Booking
    await el.updateComplete
    wrapper.querySelector('a')!.focus()
    await sendKeys({ press: 'Tab' })
    const button = el.shadowRoot!.querySelector('button')!
    expect(el.shadowRoot!.activeElement === button, 'the button has focus').to.equal(true)
    expect(button.textContent!.trim()).to.equal('Book with Pastor Zack')
    await expect(el).to.be.accessible()

    const shown = ready(el)
    await sendKeys({ press: 'Enter' })
    await shown
    const [box] = modalBoxes()
    const frame = box!.querySelector('iframe')!
    // (Compared as a boolean: chai's inspection of a cross-origin iframe never finishes.)
    expect(document.activeElement === frame, 'focus moved into the booking page').to.equal(true)
    expect(frame.title).to.equal('Booking calendar')

    // The booking page's own first control, for a modal, is its Close button.
    await sendKeys({ press: 'Tab' })
    await sendKeys({ press: 'Enter' })
    await waitUntil(() => box!.style.visibility === 'hidden', 'the modal closes', { timeout: 5000 })
    await waitUntil(() => el.shadowRoot!.activeElement === button, 'focus is back on the button', { timeout: 5000 })
    await expect(el).to.be.accessible()
  })

  it('a second opening shows a fresh booking page, not a second stale modal', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking username="maria" event="30min" mode="popup"></churchhub-booking>`)
    const button = el.shadowRoot!.querySelector('button')!
    let shown = ready(el)
    button.click()
    await shown
    modalBoxes()[0]!.setAttribute('state', 'closed')
    shown = ready(el)
    button.click()
    await shown
    const boxes = modalBoxes()
    expect(boxes).to.have.length(1)
    expect(boxes[0]!.style.visibility).to.not.equal('hidden')
    el.remove()
    expect(modalBoxes()).to.have.length(0)
    expect(document.body.style.overflow, 'page scrolling restored').to.not.equal('hidden')
  })
})
