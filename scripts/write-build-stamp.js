// Marks dist/ as built from the current sources (see ensure-built.js).
import { mkdirSync, writeFileSync } from 'node:fs'

mkdirSync('dist', { recursive: true })
writeFileSync('dist/.build-stamp', new Date().toISOString())
