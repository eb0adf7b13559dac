// The renderer's way to the one copy of how counts and sizes read (src/core/quantities.ts).
export { count, formatSize, plural } from '../../../../core/quantities'
