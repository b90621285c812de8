import type { Migration } from 'kysely'
import * as initial from './2026-11-24T10-00_initial.js'
import * as calUsersPreviousToken from './2026-11-24T11-05_cal-users-previous-token.js'
import * as bookingEventOrder from './2026-11-24T11-00_booking-event-order.js'
import * as webhookFirstEvent from './2026-11-24T11-40_webhook-first-event.js'
import * as webhookWritePath from './2026-11-24T14-00_webhook-write-path.js'
import * as memberAssertionUses from './2026-11-25T11-00_member-assertion-uses.js'
import * as auditRefusals from './2026-11-25T11-10_audit-refusals.js'
import * as previousTokenExpiry from './2026-11-25T11-20_cal-users-previous-token-expiry.js'
import * as sealedPersonalData from './2026-11-25T12-00_sealed-personal-data.js'
import * as dropFirstEventFunction from './2026-11-25T12-10_drop-first-event-function.js'
import * as hostConnections from './2026-11-25T13-00_host-connections.js'
import * as questionnaire from './2026-11-25T14-00_questionnaire.js'
import * as sealedManagedUsers from './2026-11-25T15-00_sealed-managed-users.js'

/** Listed here rather than read from disk, so the same list runs from sources and from a build. */
export const migrations: Record<string, Migration> = {
  '2026-11-24T10-00_initial': initial,
  '2026-11-24T11-05_cal-users-previous-token': calUsersPreviousToken,
  '2026-11-24T11-00_booking-event-order': bookingEventOrder,
  '2026-11-24T11-40_webhook-first-event': webhookFirstEvent,
  '2026-11-24T14-00_webhook-write-path': webhookWritePath,
  '2026-11-25T11-00_member-assertion-uses': memberAssertionUses,
  '2026-11-25T11-10_audit-refusals': auditRefusals,
  '2026-11-25T11-20_cal-users-previous-token-expiry': previousTokenExpiry,
  '2026-11-25T12-00_sealed-personal-data': sealedPersonalData,
  '2026-11-25T12-10_drop-first-event-function': dropFirstEventFunction,
  '2026-11-25T13-00_host-connections': hostConnections,
  '2026-11-25T14-00_questionnaire': questionnaire,
  '2026-11-25T15-00_sealed-managed-users': sealedManagedUsers,
}
