import type { SandboxHost } from './types.js'

const WEEKDAYS_9_TO_5 = { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60 }

function eventTypes(firstId: number) {
  return [15, 30, 60].map((length, i) => ({
    id: firstId + i,
    slug: `${length}min`,
    title: `${length} minute meeting`,
    length,
    description: '',
  }))
}

/** The two regular Cal.com users the sandbox always has (docs/sandbox.md). */
export function seededHosts(): SandboxHost[] {
  return [
    {
      id: 101,
      username: 'zack',
      name: 'Pastor Zack Miller',
      email: 'zack@sandbox.churchhub.example',
      bio: 'Senior pastor. Happy to talk about faith, family, or anything on your heart.',
      timeZone: 'America/Chicago',
      locale: 'en',
      timeFormat: 12,
      eventTypes: eventTypes(3001),
      availability: WEEKDAYS_9_TO_5,
    },
    {
      id: 102,
      username: 'maria',
      name: 'Maria Lopez',
      email: 'maria@sandbox.churchhub.example',
      bio: 'Youth minister.',
      timeZone: 'America/Chicago',
      locale: 'en',
      timeFormat: 12,
      eventTypes: eventTypes(3011),
      availability: WEEKDAYS_9_TO_5,
    },
  ]
}
