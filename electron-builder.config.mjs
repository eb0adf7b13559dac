// How `npm run package` (scripts/package.mjs) builds the installers: electron-builder reads
// this file (`--config electron-builder.config.mjs`); tests/unit/packaging-config.test.ts reads
// it too, without Electron's binary.
import { APP_ID, MAINTAINER, PRODUCT_NAME } from './packaging/app-identity.mjs'
import { PACKAGED_FUSES } from './packaging/fuses.mjs'

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: APP_ID,
  productName: PRODUCT_NAME,
  directories: { output: 'dist', buildResources: 'resources' },
  // The electron-vite build and the manifest only: no sources, tests, benches or dev tools.
  // electron-builder adds the production dependencies (package.json "dependencies") itself.
  files: ['out/**/*', 'package.json'],
  asar: true,
  // Main reads these from disk at run time, next to app.asar (src/main/app-resources.ts).
  extraResources: [
    { from: 'resources/sample-project', to: 'sample-project' },
    { from: 'resources/icon-256.png', to: 'icon-256.png' }
  ],
  electronFuses: {
    ...PACKAGED_FUSES,
    // Flipping a fuse breaks the ad-hoc signature Apple silicon needs to launch an app; an
    // unsigned build (no certificate configured) gets a fresh one, a signed build is signed after.
    resetAdHocDarwinSignature: true
  },
  // Quire has no native modules: nothing to rebuild, nothing to download for it.
  npmRebuild: false,
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'resources/icon.png',
    category: 'Office',
    maintainer: MAINTAINER,
    synopsis: 'Annotate texts with people, organizations, events and programs'
  },
  mac: {
    target: ['dmg'],
    icon: 'resources/icon.png',
    category: 'public.app-category.productivity'
  },
  win: {
    target: ['nsis'],
    icon: 'resources/icon-256.png'
  },
  nsis: {
    // An assisted installer for the current user: no administrator rights needed.
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true
  }
}

export default config
