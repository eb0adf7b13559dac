// Types for packaging/fuses.mjs, read by electron-builder.config.mjs and the packaging test.
import type { Configuration } from 'electron-builder'
export const PACKAGED_FUSES: Readonly<NonNullable<Configuration['electronFuses']>>
