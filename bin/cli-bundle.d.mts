// Types of cli-bundle.mjs (plain JavaScript: it runs before any TypeScript loader).
export declare const QUIRE_ROOT: string
export declare const CLI_ENTRIES: Record<string, string>
export declare function cliBundle(options?: { root?: string; entries?: Record<string, string>; cacheDir?: string }): Promise<string | null>
