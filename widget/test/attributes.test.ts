import { expect, fixture, html } from '@open-wc/testing'
import { type Booking, calRequests, failed, frameState, iframeOf, managedUserCount, memberAssertion, namespaceOf, ready, sandbox, settle, trackRequests, trackedRequests } from './helpers.js'


describe('attributes', () => {
  it('puts the prefill, theme and layout into the booking page URL and brand colour into the ui config', async () => {
    const { url } = await sandbox()
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="30min" name="Ann Lee" email="ann@example.org"
      notes="About a baptism" theme="dark" layout="week_view" brand-color="#aa3300" lazy="false"></churchhub-booking>`)
    await ready(el)
    const frame = iframeOf(el)!
    const src = new URL(frame.src)
    expect(`${src.origin}${src.pathname}`).to.equal(`${url}/zack/30min/embed`)
    expect(Object.fromEntries(src.searchParams)).to.include({
      name: 'Ann Lee', email: 'ann@example.org', notes: 'About a baptism', theme: 'dark', layout: 'week_view', embedType: 'inline', embed: namespaceOf(frame),
    })
    const page = await frameState(namespaceOf(frame))
    expect(page.theme).to.equal('dark')
    expect(page.layout).to.equal('week_view')
    expect(page.brand).to.equal('#aa3300')
    expect(frame.title).to.equal('Booking calendar')
    await expect(el).to.be.accessible()
  })

  it('shows the host\'s event types without `event`', async () => {
    const { url } = await sandbox()
    const el = await fixture<Booking>(html`<churchhub-booking username="maria" lazy="false"></churchhub-booking>`)
    await ready(el)
    expect(new URL(iframeOf(el)!.src).pathname).to.equal(`${new URL(url).pathname}/maria/embed`)
  })

  it('popup mode is a button with the label; floating mode a fixed button', async () => {
    const popup = await fixture<Booking>(html`<churchhub-booking username="zack" mode="popup" label="Talk with Pastor Zack"></churchhub-booking>`)
    const button = popup.shadowRoot!.querySelector('button')!
    expect(button.textContent!.trim()).to.equal('Talk with Pastor Zack')
    await expect(popup).to.be.accessible()
    const floating = await fixture<Booking>(html`<churchhub-booking username="zack" mode="floating"></churchhub-booking>`)
    const fixed = floating.shadowRoot!.querySelector('button')!
    expect(getComputedStyle(fixed).position).to.equal('fixed')
    expect(fixed.textContent!.trim()).to.equal('Book a time')
    await expect(floating).to.be.accessible()
  })

  it('member-token: the server vouches for the member, whose name and email are pre-filled', async () => {
    const token = await memberAssertion({ sub: 'member-41', email: 'ruth.member@example.org', name: 'Ruth Member' })
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="15min" member-token=${token} lazy="false"></churchhub-booking>`)
    await ready(el)
    const params = new URL(iframeOf(el)!.src).searchParams
    expect(params.get('email')).to.equal('ruth.member@example.org')
    expect(params.get('name')).to.equal('Ruth Member')
    expect(await managedUserCount(['ruth.member@example.org'])).to.equal(0, 'pre-fill creates no Cal.com managed user')
  })

  it('member-token the server refuses: churchhub-error, and the calendar without pre-fill', async () => {
    const errored = failed(document.body as any)
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="15min" member-token="not.a.token" lazy="false"></churchhub-booking>`)
    const shown = ready(el)
    expect((await errored).code).to.equal('member-unavailable')
    await shown
    expect(new URL(iframeOf(el)!.src).searchParams.has('email')).to.equal(false)
  })

  it('api: host information comes from the given server, through the element\'s fetch seam', async () => {
    const el = document.createElement('churchhub-booking')
    const asked: string[] = []
    el.fetch = (input, init) => (asked.push(input), window.fetch(input, init))
    el.setAttribute('username', 'zack')
    el.setAttribute('api', `${location.origin}/`)
    el.setAttribute('lazy', 'false')
    const shown = ready(el)
    document.body.append(el)
    await shown
    expect(asked).to.deep.equal([`${location.origin}/v1/hosts/zack`])
    el.remove()
  })

  it('consent: a click-to-load card, and nothing from Cal.com before the click', async () => {
    const { url } = await sandbox()
    await trackRequests()
    const preconnects = () => document.querySelectorAll('link[rel="preconnect"]').length
    const connectionsBefore = preconnects()
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="30min" consent></churchhub-booking>`)
    await settle()
    // Requests the browser made, not iframes: a fetch or a script would not show up as an iframe;
    // nor a connection opened ahead (which tells Cal.com the visitor's address).
    expect(calRequests(await trackedRequests(), url)).to.deep.equal([])
    expect(preconnects(), 'no connection to Cal.com opened').to.equal(connectionsBefore)
    const card = el.shadowRoot!.querySelector('[part~="consent"]')!
    expect(card.textContent).to.contain('Cal.com')
    await expect(el).to.be.accessible()
    const shown = ready(el)
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="consent-button"]')!.click()
    await shown
    expect(el.shadowRoot!.querySelectorAll('iframe').length).to.equal(1)
    expect(calRequests(await trackedRequests(), url).filter((u) => u.startsWith(`${url}/zack/30min/embed?`))).to.have.length(1)
    await expect(el).to.be.accessible()
  })

  it('changing username starts over with the new host, keeping one calendar', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="30min" lazy="false"></churchhub-booking>`)
    await ready(el)
    const again = ready(el)
    el.username = 'maria'
    await again
    expect(el.shadowRoot!.querySelectorAll('iframe').length).to.equal(1)
    expect(new URL(iframeOf(el)!.src).pathname).to.match(/\/maria\/30min\/embed$/)
  })
})
