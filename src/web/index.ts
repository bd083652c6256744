/**
 * The web feature as other features see it: everything outside src/web/ imports from
 * here, never from a module inside. Named exports only, each one used elsewhere.
 */
export { webRoutes } from './routes.js'
