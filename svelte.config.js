// Read by vite-plugin-svelte in the app's build (electron.vite.config.ts) and in the component
// tests (vitest.config.ts) alike, and by svelte-check, so all three compile the same components.
export default {
  compilerOptions: {
    // A component's DOM template is built once per window with createElement calls, then cloned,
    // instead of being parsed from an HTML string: the opening's mount builds some hundred
    // templates, and the traced mount task of a 100 KB opening went from 22-30 to 19-21 ms
    // (medians of 5 opens, two alternated pairs). Nor does it set innerHTML, which a
    // Content-Security-Policy requiring Trusted Types would refuse.
    fragments: 'tree'
  }
}
