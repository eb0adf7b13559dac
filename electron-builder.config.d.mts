// Types for electron-builder.config.mjs, so the packaging test reads it typed.
import type { Configuration } from 'electron-builder'
declare const config: Configuration
export default config
