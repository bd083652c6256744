/** The `vigil` command run from source (tsx), for benchmarks that start real `vigil serve` processes. */
import { main } from '../src/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
