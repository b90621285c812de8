export { ChurchhubBookingElement } from './churchhub-booking-element-define.js'
export * from './events.js'
export { ChurchhubBookingSuccessfulEvent } from './booking-successful-event.js'
export type { HostInfo, MemberInfo, FetchLike } from './host-info.js'
