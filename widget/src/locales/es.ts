import type { Strings } from './en.js'

export const es: Strings = {
  book: 'Reservar una cita',
  loading: 'Cargando el calendario de citas…',
  iframeTitle: 'Calendario de citas',
  failed: 'No se pudo cargar el calendario de citas.',
  openLink: 'Abrir la página de citas',
  hostFailed: 'El calendario de citas no está disponible ahora. Inténtelo de nuevo más tarde.',
  consent: 'Este calendario lo ofrece Cal.com. Al cargarlo, Cal.com sabrá de su visita.',
  consentButton: 'Cargar el calendario de citas',
}
