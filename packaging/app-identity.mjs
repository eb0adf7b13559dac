// Who the installed app is, in one place: electron-builder.config.mjs names the bundles with it
// and src/main/index.ts gives Windows the same id for the window, so the taskbar groups them.

/** Reverse-DNS id: macOS's CFBundleIdentifier, Windows's AppUserModelID, the deb/AppImage name base. */
export const APP_ID = 'org.quire.app'
export const PRODUCT_NAME = 'Quire'
/** The .deb's Maintainer field (electron-builder otherwise wants an author e-mail in package.json). */
export const MAINTAINER = 'The Quire maintainers'
