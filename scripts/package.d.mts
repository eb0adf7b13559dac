// Types for scripts/package.mjs, so its unit test typechecks.
export function linuxMetadataProblem(platform: NodeJS.Platform, manifest: { homepage?: string }): string | null
