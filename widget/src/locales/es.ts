import type { Strings } from './en.js'

export const es: Strings = {
  book: 'Reservar una cita',
  loading: 'Cargando el calendario de citas…',
  iframeTitle: 'Calendario de citas',
  failed: 'No se pudo cargar el calendario de citas.',
  openLink: 'Abrir la página de citas',
  consent: 'Este calendario de citas viene de Cal.com, que verá su visita.',
  consentButton: 'Cargar el calendario de citas',
}
