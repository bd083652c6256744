/**
 * The api feature as other features see it: everything outside src/api/ imports from
 * here, never from a module inside. Named exports only, each one used elsewhere.
 */
export { apiRoutes } from './routes.js'
export { apiStatusRoutes } from './status-routes.js'
