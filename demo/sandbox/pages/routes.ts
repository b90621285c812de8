import type { FastifyPluginAsync } from 'fastify'
import type { PagesOptions } from '../plugin.js'

/** Booking pages and embed.js; a placeholder until the pages land. */
export const pagesRoutes: FastifyPluginAsync<PagesOptions> = async () => {}
