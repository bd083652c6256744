/** Runs the CLI from source (`npm run dev`, tests); bin/vigil.js runs the compiled dist/cli/main.js. */
import { main } from './main.js'

process.exitCode = await main(process.argv.slice(2))
