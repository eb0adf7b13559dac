// Asks for the window's start (getStartup: settings, project, documents, the first document)
// while the app's own scripts are still arriving and compiling, so main reads the document
// meanwhile. Plain JavaScript outside the bundle, so it runs first; src/renderer/src/lib/api.ts
// takes the answer as that call's, through the same transport and unpacking as every call.
'use strict'
;(() => {
  const asked = window.quire
    ? window.quire.getStartup()
    : fetch('/api/getStartup', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: '{"args":[]}'
      })
  // A failure is the app's to report when it takes the answer, not an unhandled rejection now.
  asked.catch(() => undefined)
  window.quireEarlyStartup = window.quire ? { bridge: asked } : { http: asked }
})()
