/**
 * The badges feature as other features see it: everything outside src/badges/ imports from
 * here, never from a module inside. Named exports only, each one used elsewhere.
 */
export { BADGE_ROUTE_DOCS, registerBadgeRoutes } from './routes.js'
