// Electron fuses flipped in the packaged binary (electron-builder's `electronFuses`, applied
// with @electron/fuses before signing). A fuse is burnt into the executable: unlike a command
// line switch or an environment variable, nobody can turn it back on for the installed app.
// electron-builder.config.mjs and tests/unit/packaging-config.test.ts both read this list.

/** @type {Readonly<NonNullable<import('electron-builder').Configuration['electronFuses']>>} */
export const PACKAGED_FUSES = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn Quire into a plain Node.js with the app's trust.
  runAsNode: false,
  // NODE_OPTIONS could preload any script into the main process.
  enableNodeOptionsEnvironmentVariable: false,
  // --inspect / --inspect-brk would open a debugger port into the main process.
  enableNodeCliInspectArguments: false,
  // Only app.asar is loaded, so a loose app/ folder placed beside it cannot replace the code…
  onlyLoadAppFromAsar: true,
  // …and app.asar must match the hash recorded in the signed binary (macOS and Windows).
  enableEmbeddedAsarIntegrityValidation: true,
  // Cookies and web storage encrypted with the OS keychain.
  enableCookieEncryption: true,
  // The page is served from app://, so file:// needs none of its extra powers.
  grantFileProtocolExtraPrivileges: false,
  // The default V8 snapshot only; no separate browser-process snapshot file to swap.
  loadBrowserProcessSpecificV8Snapshot: false
})
