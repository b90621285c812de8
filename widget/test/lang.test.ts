import { expect, fixture, html } from '@open-wc/testing'
import { type Booking, addFault, clearFaults, failed, iframeOf, ready } from './helpers.js'

describe('the element\'s own words in Spanish', () => {
  afterEach(() => {
    document.documentElement.lang = 'en'
    return clearFaults()
  })

  it('lang="es": button, loading text and iframe title', async () => {
    const popup = await fixture<Booking>(html`<churchhub-booking username="zack" mode="popup" lang="es"></churchhub-booking>`)
    expect(popup.shadowRoot!.querySelector('button')!.textContent!.trim()).to.equal('Reservar una cita')
    await expect(popup).to.be.accessible()

    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="30min" lang="es" lazy="false"></churchhub-booking>`)
    expect(el.shadowRoot!.querySelector('[part~="skeleton"]')!.textContent).to.contain('Cargando el calendario de citas')
    await expect(el).to.be.accessible()
    await ready(el)
    expect(iframeOf(el)!.title).to.equal('Calendario de citas')
    await expect(el).to.be.accessible()
  })

  it('follows <html lang="es-MX"> when the element has no lang, including the fallback', async () => {
    document.documentElement.lang = 'es-MX'
    await addFault({ path: '/maria/60min/embed', fault: 'hang' })
    const el = await fixture<Booking>(html`<churchhub-booking username="maria" event="60min" timeout="600" lazy="false"></churchhub-booking>`)
    await failed(el)
    await el.updateComplete
    const fallback = el.shadowRoot!.querySelector('[part~="fallback"]')!
    expect(fallback.textContent).to.contain('No se pudo cargar el calendario de citas.')
    expect(fallback.querySelector('a')!.textContent).to.equal('Abrir la página de citas')
    await expect(el).to.be.accessible()
  })

  it('a language without a file falls back to English', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" mode="popup" lang="fr"></churchhub-booking>`)
    expect(el.shadowRoot!.querySelector('button')!.textContent!.trim()).to.equal('Book a time')
  })
})
